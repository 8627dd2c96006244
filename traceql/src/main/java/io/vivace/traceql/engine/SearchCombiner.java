package io.vivace.traceql.engine;

import io.vivace.model.tempopb.TraceSearchMetadata;
import java.util.List;

/**
 * Combines per-source search results into the response's trace list: results for the same trace ID
 * from several sources are merged; the final list is newest first and capped at the limit.
 * Thread-safe.
 */
public final class SearchCombiner {
    /**
     * @param limit the maximum number of traces ({@code limit})
     * @param mostRecent keep the newest {@code limit} traces rather than the first found
     */
    public SearchCombiner(int limit, boolean mostRecent) {
        throw new UnsupportedOperationException("being written");
    }

    /** Adds one trace result. */
    public void add(TraceSearchMetadata trace) {
        throw new UnsupportedOperationException("being written");
    }

    /** Whether more results cannot change the answer (first-found mode and the limit is met). */
    public boolean isComplete() {
        throw new UnsupportedOperationException("being written");
    }

    /** The combined traces, newest first, at most {@code limit}. */
    public List<TraceSearchMetadata> results() {
        throw new UnsupportedOperationException("being written");
    }
}
