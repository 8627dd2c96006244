package io.vivace.storage.block;

/**
 * Tuning of block writing.
 *
 * @param rowsPerBatch spans per Arrow record batch (the unit of pruning and of reads)
 * @param bloomFalsePositiveRate target false-positive rate of the trace-ID bloom filters
 * @param bloomShardSizeBytes maximum bytes of one bloom shard
 */
public record BlockWriterConfig(int rowsPerBatch, double bloomFalsePositiveRate, int bloomShardSizeBytes) {
    /** Defaults. */
    public static BlockWriterConfig defaults() {
        return new BlockWriterConfig(8192, 0.01, 100 * 1024);
    }
}
