/**
 * The ingester role: the RocksDB write-ahead log with group commit, live traces per tenant, cutting
 * idle traces into blocks, writing blocks to object storage, releasing the WAL behind them, and
 * trace-by-ID lookups over everything not yet in the queriers' block list. See
 * {@code ingester/RATIONALE.md} for the reasoning behind the WAL and its release watermark.
 */
package io.vivace.ingester;
