package io.vivace.traceql.engine;

/**
 * Per-request search settings.
 *
 * @param spansPerSpanSet at most this many spans per returned spanset ({@code spss}); 0 = unlimited
 * @param minDurationNanos only traces at least this long ({@code minDuration}); 0 = no bound
 * @param maxDurationNanos only traces at most this long ({@code maxDuration}); 0 = no bound
 */
public record SearchOptions(int spansPerSpanSet, long minDurationNanos, long maxDurationNanos) {
    /** Tempo's default: 3 spans per spanset, no duration bounds. */
    public static final SearchOptions DEFAULT = new SearchOptions(3, 0, 0);

    /** Checks the arguments. */
    public SearchOptions {
        if (spansPerSpanSet < 0 || minDurationNanos < 0 || maxDurationNanos < 0) {
            throw new IllegalArgumentException("options: " + spansPerSpanSet + ", " + minDurationNanos + ", " + maxDurationNanos
                    + " (expected: non-negative)");
        }
    }
}
