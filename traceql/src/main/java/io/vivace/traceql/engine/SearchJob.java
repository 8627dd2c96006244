package io.vivace.traceql.engine;

import java.util.Objects;

/**
 * One unit of search work the query-frontend schedules: a shard of one block, or an ingester's
 * recent data.
 *
 * @param tenant whose data the job reads
 * @param cacheKey identifies immutable data (a block shard) so that a job result may be cached;
 *     {@code null} for data that changes (recent data)
 * @param bytes the stored size the job covers (compressed bytes; 0 when unknown), for
 *     {@code totalBlockBytes} and sharding
 * @param startNanos earliest span start the job's data may hold (0 = unknown)
 * @param endNanos latest span end the job's data may hold (0 = unknown)
 * @param source the data
 */
public record SearchJob(String tenant, String cacheKey, long bytes, long startNanos, long endNanos, TraceSource source) {
    /** Checks the arguments. */
    public SearchJob {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(source, "source");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
    }

    /** Whether the job reads stored blocks (as opposed to an ingester's recent data). */
    public boolean isBlock() {
        return cacheKey != null;
    }

    /** Whether the job's data lies entirely inside {@code [from, to]} (0 = unbounded). */
    public boolean within(long from, long to) {
        return startNanos != 0 && endNanos != 0 && (from == 0 || startNanos >= from) && (to == 0 || endNanos <= to);
    }
}
