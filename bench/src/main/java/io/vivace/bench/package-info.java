/** JMH benchmarks of the hot paths and the end-to-end load tool. */
package io.vivace.bench;
