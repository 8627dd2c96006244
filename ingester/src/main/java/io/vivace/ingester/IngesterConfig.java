package io.vivace.ingester;

import io.vivace.common.config.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ingester} section, keyed as in Tempo (snake_case in YAML: {@code trace_idle_period},
 * {@code max_block_duration}, …).
 *
 * @param traceIdlePeriod how long a trace must receive no spans before it leaves the live traces for
 *     the head block; a quiet head block is cut after the same period without new traces
 * @param maxBlockDuration the head block is cut once it is this old; a trace still receiving spans
 *     after this long is moved to the head block anyway, so that it cannot pin the WAL forever
 * @param maxBlockBytes the head block is cut once it holds this many bytes of OTLP protobuf; this
 *     caps the memory the head block of one tenant holds (live traces are capped separately by
 *     {@code max_traces_per_user} × {@code max_bytes_per_trace})
 * @param flushCheckPeriod how often the flush loop looks for idle traces and head blocks to cut
 * @param concurrentFlushes blocks written at the same time; each flush keeps a core busy encoding,
 *     so on the 2-core reference machine 1 leaves the other core to ingest
 * @param completeBlockTimeout how long the ingester keeps answering queries from a block it
 *     flushed, so that the data stays visible until the queriers' block list has picked it up
 * @param walGroupCommitMaxBatch most WAL appends written (and synced) together in one group commit
 * @param walGroupCommitMaxBytes most bytes written together in one group commit; bounds the native
 *     memory of one RocksDB write batch
 * @param maxBytesInMemory OTLP bytes of spans the ingester holds in memory (live traces, head blocks,
 *     blocks not yet written) above which it refuses pushes with a retryable 429 /
 *     {@code RESOURCE_EXHAUSTED} instead of running out of heap; 0 means 40% of the JVM's maximum heap
 */
public record IngesterConfig(
        Duration traceIdlePeriod,
        Duration maxBlockDuration,
        long maxBlockBytes,
        Duration flushCheckPeriod,
        int concurrentFlushes,
        Duration completeBlockTimeout,
        int walGroupCommitMaxBatch,
        long walGroupCommitMaxBytes,
        long maxBytesInMemory) {

    /** 100 MiB: the default of {@link #maxBlockBytes}. */
    public static final long DEFAULT_MAX_BLOCK_BYTES = 100L * 1024 * 1024;

    /**
     * Defaults: traces idle 5s (Tempo uses 10s; live traces are the bulk of the memory a single binary
     * holds, and 5s halves it at the same ingest rate), blocks cut at 30m or 100 MiB, checked every second, one flush at a
     * time, flushed blocks served for 15m, group commits of at most 1024 appends or 32 MiB.
     */
    public static IngesterConfig defaults() {
        return new IngesterConfig(Duration.ofSeconds(5), Duration.ofMinutes(30), DEFAULT_MAX_BLOCK_BYTES,
                Duration.ofSeconds(1), 1, Duration.ofMinutes(15), 1024, 32L * 1024 * 1024, 0L);
    }

    /** {@link #maxBytesInMemory} in effect: the configured value, or 40% of the JVM's maximum heap for 0. */
    public long effectiveMaxBytesInMemory() {
        return maxBytesInMemory > 0 ? maxBytesInMemory : Runtime.getRuntime().maxMemory() / 10 * 4;
    }

    /** Problems, one per line of the form {@code ingester.key: value (expected: …)}; empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        positive(errors, "trace_idle_period", traceIdlePeriod);
        positive(errors, "max_block_duration", maxBlockDuration);
        positive(errors, "flush_check_period", flushCheckPeriod);
        positive(errors, "complete_block_timeout", completeBlockTimeout);
        if (maxBlockBytes <= 0) {
            errors.add("ingester.max_block_bytes: " + maxBlockBytes + " (expected: > 0)");
        }
        if (concurrentFlushes < 1) {
            errors.add("ingester.concurrent_flushes: " + concurrentFlushes + " (expected: >= 1)");
        }
        if (walGroupCommitMaxBatch < 1) {
            errors.add("ingester.wal_group_commit_max_batch: " + walGroupCommitMaxBatch + " (expected: >= 1)");
        }
        if (maxBytesInMemory < 0) {
            errors.add("ingester.max_bytes_in_memory: " + maxBytesInMemory + " (expected: >= 0, 0 for 40% of the heap)");
        }
        if (walGroupCommitMaxBytes < 1) {
            errors.add("ingester.wal_group_commit_max_bytes: " + walGroupCommitMaxBytes + " (expected: >= 1)");
        }
        return errors;
    }

    private static void positive(List<String> errors, String key, Duration value) {
        if (value == null) {
            errors.add("ingester." + key + ": empty (expected: a duration > 0, e.g. 10s)");
        } else if (value.isNegative() || value.isZero()) {
            errors.add("ingester." + key + ": " + GoDuration.format(value) + " (expected: > 0)");
        }
    }
}
