package io.vivace.common.query;

import io.vivace.model.TraceId;

/**
 * Finds the pieces of a trace by ID. Implemented by the ingester (live traces, WAL, blocks not yet
 * in the block list) and by the querier (ingesters plus stored blocks).
 */
public interface TraceLookup {
    /**
     * Finds {@code id} for {@code tenant}.
     *
     * @param startSeconds only data overlapping this unix-seconds range, 0 for unbounded
     * @param endSeconds end of the range, 0 for unbounded
     */
    TraceResult find(String tenant, TraceId id, long startSeconds, long endSeconds);
}
