package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * The root of a parsed query: a search pipeline, a metrics pipeline or metrics arithmetic,
 * plus the hints of the last {@code with(...)} clause (earlier clauses are replaced, as in Tempo).
 *
 * @param body what the query computes
 * @param hints the hints, {@link Hints#NONE} when the query has no {@code with(...)}
 */
public record Query(QueryBody body, Hints hints) implements Node {
    /** Checks that no component is null. */
    public Query {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(hints, "hints");
    }

    /** A query without hints. */
    public Query(QueryBody body) {
        this(body, Hints.NONE);
    }

    /** Whether this is a metrics query (answered with time series rather than traces). */
    public boolean isMetrics() {
        return !(body instanceof Pipeline);
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
