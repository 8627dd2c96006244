package io.vivace.storage.block;

import java.util.UUID;

/**
 * What {@code meta.json} says about a block. A block is visible to readers only once its
 * {@code meta.json} exists; it is written last.
 *
 * @param format block format version, {@code vArrow1}
 * @param blockId the block's UUID
 * @param tenant the tenant
 * @param startTimeUnixNano earliest span start in the block
 * @param endTimeUnixNano latest span end in the block
 * @param totalTraces number of traces
 * @param totalSpans number of spans
 * @param size total bytes of the block's objects
 * @param compactionLevel 0 for blocks cut by an ingester, +1 per compaction
 * @param totalRecordBatches number of Arrow record batches in {@code data}
 * @param bloomShards number of {@code bloom-N} objects
 * @param minTraceId smallest trace ID, 32 hex digits
 * @param maxTraceId largest trace ID, 32 hex digits
 */
public record BlockMeta(
        String format,
        UUID blockId,
        String tenant,
        long startTimeUnixNano,
        long endTimeUnixNano,
        long totalTraces,
        long totalSpans,
        long size,
        int compactionLevel,
        int totalRecordBatches,
        int bloomShards,
        String minTraceId,
        String maxTraceId) {

    /** The current format version. */
    public static final String FORMAT_V_ARROW1 = "vArrow1";
}
