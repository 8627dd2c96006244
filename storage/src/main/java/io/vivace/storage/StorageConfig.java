package io.vivace.storage;

import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.object.S3Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code storage} section, keyed as in Tempo: {@code storage.trace.backend},
 * {@code storage.trace.local.path}, {@code storage.trace.s3.*}, {@code storage.trace.wal.path},
 * {@code storage.trace.block.*}.
 *
 * @param trace trace storage
 */
public record StorageConfig(Trace trace) {
    /** {@code storage.trace.backend} value for blocks on local disk. */
    public static final String LOCAL = "local";

    /** {@code storage.trace.backend} value for blocks in an S3 bucket. */
    public static final String S3 = "s3";

    /**
     * Trace storage.
     *
     * @param backend where blocks live: {@code local} (disk) or {@code s3} (S3, MinIO or any S3 API)
     * @param local the local-disk backend
     * @param s3 the S3 backend
     * @param wal the write-ahead log (always on local disk)
     * @param block block format tuning
     * @param blocklistPoll how often readers refresh their list of blocks
     */
    public record Trace(String backend, Local local, S3Config s3, Wal wal, Block block, Duration blocklistPoll) {
        /** Local-disk storage, with the S3 section at its defaults (unused). */
        public Trace(String backend, Local local, Wal wal, Block block, Duration blocklistPoll) {
            this(backend, local, S3Config.defaults(), wal, block, blocklistPoll);
        }
    }

    /** @param path directory holding blocks, one sub-directory per tenant */
    public record Local(String path) {}

    /** @param path directory of the RocksDB write-ahead log */
    public record Wal(String path) {}

    /**
     * Block format tuning.
     *
     * @param version format of new blocks
     * @param bloomFilterFalsePositive target false-positive rate of trace-ID bloom filters
     * @param bloomFilterShardSizeBytes maximum size of one bloom shard
     * @param rowsPerBatch spans per Arrow record batch
     */
    public record Block(String version, double bloomFilterFalsePositive, int bloomFilterShardSizeBytes, int rowsPerBatch) {
        /** As the block writer's configuration. */
        public BlockWriterConfig writerConfig() {
            return new BlockWriterConfig(rowsPerBatch, bloomFilterFalsePositive, bloomFilterShardSizeBytes);
        }
    }

    /** Defaults: local disk under {@code ./data}. */
    public static StorageConfig defaults() {
        BlockWriterConfig w = BlockWriterConfig.defaults();
        return new StorageConfig(new Trace("local", new Local("./data/blocks"), S3Config.defaults(), new Wal("./data/wal"),
                new Block("vArrow1", w.bloomFalsePositiveRate(), w.bloomShardSizeBytes(), w.rowsPerBatch()),
                Duration.ofSeconds(5)));
    }

    /** Problems, empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (LOCAL.equals(trace.backend())) {
            if (trace.local() == null || trace.local().path() == null || trace.local().path().isBlank()) {
                errors.add("storage.trace.local.path: empty (expected: a directory)");
            }
        } else if (S3.equals(trace.backend())) {
            if (trace.s3() == null) {
                errors.add("storage.trace.s3: empty (expected: the bucket and endpoint of backend s3)");
            } else {
                errors.addAll(trace.s3().validate("storage.trace.s3."));
            }
        } else {
            errors.add("storage.trace.backend: " + trace.backend() + " (expected: local or s3)");
        }
        if (trace.wal() == null || trace.wal().path() == null || trace.wal().path().isBlank()) {
            errors.add("storage.trace.wal.path: empty (expected: a directory)");
        }
        if (!"vArrow1".equals(trace.block().version())) {
            errors.add("storage.trace.block.version: " + trace.block().version() + " (expected: vArrow1)");
        }
        double fp = trace.block().bloomFilterFalsePositive();
        if (!(fp > 0 && fp < 1)) {
            errors.add("storage.trace.block.bloom_filter_false_positive: " + fp + " (expected: > 0 and < 1)");
        }
        if (trace.block().rowsPerBatch() < 64) {
            errors.add("storage.trace.block.rows_per_batch: " + trace.block().rowsPerBatch() + " (expected: >= 64)");
        }
        return errors;
    }
}
