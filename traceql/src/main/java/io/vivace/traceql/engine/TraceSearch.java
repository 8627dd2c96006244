package io.vivace.traceql.engine;

import io.vivace.model.tempopb.TraceSearchMetadata;
import io.vivace.traceql.ast.Query;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A prepared TraceQL search: the predicate sources prune with, and the exact evaluation of the
 * query on one trace. Immutable and thread-safe; prepare once per request, evaluate on many threads.
 */
public final class TraceSearch {
    /**
     * Prepares a validated search query.
     *
     * @throws IllegalArgumentException when {@code query} is a metrics query
     */
    public static TraceSearch prepare(Query query, SearchOptions options) {
        throw new UnsupportedOperationException("being written");
    }

    /** The predicate a source may prune with. */
    public TracePredicate predicate() {
        throw new UnsupportedOperationException("being written");
    }

    /** The fetch request for a time range. */
    public FetchRequest request(long startNanos, long endNanos, BooleanSupplier cancelled) {
        return new FetchRequest(predicate(), startNanos, endNanos, cancelled);
    }

    /** Whether the query asks for the newest traces first ({@code with(most_recent=true)}). */
    public boolean mostRecent() {
        throw new UnsupportedOperationException("being written");
    }

    /**
     * Evaluates the query on one trace.
     *
     * @return the search result for the trace, empty when no spanset survives
     * @throws TraceQLExecutionException when the query fails on this data
     */
    public Optional<TraceSearchMetadata> evaluate(EvalTrace trace) {
        throw new UnsupportedOperationException("being written");
    }
}
