/**
 * The vArrow1 block format: one tenant's spans for a time range, as Arrow IPC record batches sorted
 * by trace ID, with bloom filters and an index. See {@code storage/FORMAT.md}. {@link
 * io.vivace.storage.block.BlockReader} finds traces by ID; {@link io.vivace.storage.block.BlockSearcher}
 * searches a block (or a shard of its batches) for the TraceQL engine, reading only the columns the
 * query tests.
 */
package io.vivace.storage.block;
