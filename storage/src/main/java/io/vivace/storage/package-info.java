/** Storage: object stores, the vArrow1 block format, bloom filters, the block index. */
package io.vivace.storage;
