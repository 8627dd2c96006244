package io.vivace.traceql.engine;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What a search asks a {@link TraceSource} for: traces that may satisfy {@code predicate} and that
 * overlap {@code [startNanos, endNanos]} (a trace overlaps when its earliest start is at or before
 * the end and its latest end at or after the start; 0 means unbounded on that side).
 *
 * @param predicate necessary condition for a trace to be returned
 * @param startNanos start of the time range, nanoseconds since the epoch, 0 = unbounded
 * @param endNanos end of the time range, 0 = unbounded
 * @param cancelled polled between batches/traces; when true the source stops and returns
 */
public record FetchRequest(TracePredicate predicate, long startNanos, long endNanos, BooleanSupplier cancelled) {
    /** Checks the arguments. */
    public FetchRequest {
        Objects.requireNonNull(predicate, "predicate");
        Objects.requireNonNull(cancelled, "cancelled");
        if (startNanos < 0 || endNanos < 0 || (endNanos != 0 && endNanos < startNanos)) {
            throw new IllegalArgumentException("time range: [" + startNanos + ", " + endNanos + "] (expected: 0 <= start <= end, 0 = unbounded)");
        }
    }

    /** A request for every trace overlapping the range, never cancelled. */
    public static FetchRequest all(long startNanos, long endNanos) {
        return new FetchRequest(TracePredicate.ALL, startNanos, endNanos, () -> false);
    }

    /** Whether a trace spanning {@code [traceStart, traceEnd]} overlaps the requested range. */
    public boolean overlaps(long traceStart, long traceEnd) {
        return (endNanos == 0 || traceStart <= endNanos) && (startNanos == 0 || traceEnd >= startNanos);
    }
}
