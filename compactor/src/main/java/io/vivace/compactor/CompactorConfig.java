package io.vivace.compactor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code compactor} section, with Tempo's key names.
 *
 * @param compaction the {@code compaction} subsection
 */
public record CompactorConfig(Compaction compaction) {
    /**
     * {@code compactor.compaction}.
     *
     * @param compactionWindow blocks are compacted together only when they end in the same window
     * @param maxCompactionObjects largest number of traces in one output block
     * @param maxBlockBytes largest output block; inputs are chosen so that their sum stays below
     * @param minInputBlocks fewest blocks one compaction merges
     * @param maxInputBlocks most blocks one compaction merges
     * @param blockRetention blocks that ended longer ago are deleted; 0 keeps everything
     * @param compactedBlockRetention how long a replaced or expired block stays in the bucket, hidden,
     *     so that queries that already listed it can finish
     * @param compactionCycle pause between compaction cycles
     */
    public record Compaction(Duration compactionWindow, long maxCompactionObjects, long maxBlockBytes, int minInputBlocks,
            int maxInputBlocks, Duration blockRetention, Duration compactedBlockRetention, Duration compactionCycle) {
        /** Tempo's defaults (2 to 4 input blocks, as Tempo's time-window selector). */
        public static Compaction defaults() {
            return new Compaction(Duration.ofHours(1), 6_000_000, 100L << 30, 2, 4, Duration.ofHours(336), Duration.ofHours(1),
                    Duration.ofSeconds(30));
        }
    }

    /** Defaults. */
    public static CompactorConfig defaults() {
        return new CompactorConfig(Compaction.defaults());
    }

    /** Problems, empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        Compaction c = compaction;
        if (c == null) {
            errors.add("compactor.compaction: missing");
            return errors;
        }
        if (c.compactionWindow() == null || c.compactionWindow().isNegative() || c.compactionWindow().isZero()) {
            errors.add("compactor.compaction.compaction_window: " + c.compactionWindow() + " (expected: > 0)");
        }
        if (c.maxCompactionObjects() <= 0) {
            errors.add("compactor.compaction.max_compaction_objects: " + c.maxCompactionObjects() + " (expected: > 0)");
        }
        if (c.maxBlockBytes() <= 0) {
            errors.add("compactor.compaction.max_block_bytes: " + c.maxBlockBytes() + " (expected: > 0)");
        }
        if (c.minInputBlocks() < 2 || c.maxInputBlocks() < c.minInputBlocks()) {
            errors.add("compactor.compaction.min_input_blocks, max_input_blocks: " + c.minInputBlocks() + ", " + c.maxInputBlocks()
                    + " (expected: 2 <= min <= max)");
        }
        if (c.blockRetention() == null || c.blockRetention().isNegative()) {
            errors.add("compactor.compaction.block_retention: " + c.blockRetention() + " (expected: >= 0, 0 = keep forever)");
        }
        if (c.compactedBlockRetention() == null || c.compactedBlockRetention().isNegative()) {
            errors.add("compactor.compaction.compacted_block_retention: " + c.compactedBlockRetention() + " (expected: >= 0)");
        }
        if (c.compactionCycle() == null || c.compactionCycle().isNegative() || c.compactionCycle().isZero()) {
            errors.add("compactor.compaction.compaction_cycle: " + c.compactionCycle() + " (expected: > 0)");
        }
        return errors;
    }
}
