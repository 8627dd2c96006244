/** The raw object store (list, read, read range, write, delete) and its implementations. */
package io.vivace.storage.object;
