/**
 * The vArrow1 block format: one tenant's spans for a time range, as Arrow IPC record batches sorted
 * by trace ID, with bloom filters and an index. See {@code storage/FORMAT.md}.
 */
package io.vivace.storage.block;
