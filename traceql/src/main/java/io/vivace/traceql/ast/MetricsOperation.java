package io.vivace.traceql.ast;

import java.util.Locale;

/** The aggregating first-stage metrics functions (spec 8.2), with their {@code by} limits. */
public enum MetricsOperation {
    /** {@code rate()}: span count per second. */
    RATE(false, 5),
    /** {@code count_over_time()}: span count per interval. */
    COUNT_OVER_TIME(false, 5),
    /** {@code min_over_time(a)}. */
    MIN_OVER_TIME(true, 5),
    /** {@code max_over_time(a)}. */
    MAX_OVER_TIME(true, 5),
    /** {@code sum_over_time(a)}. */
    SUM_OVER_TIME(true, 5),
    /** {@code avg_over_time(a)}. */
    AVG_OVER_TIME(true, 4),
    /** {@code quantile_over_time(a, q...)}: one series per quantile. */
    QUANTILE_OVER_TIME(true, 4),
    /** {@code histogram_over_time(a)}: one series per power-of-two bucket. */
    HISTOGRAM_OVER_TIME(true, 4);

    private final boolean takesAttribute;
    private final int maxGroupBy;

    MetricsOperation(boolean takesAttribute, int maxGroupBy) {
        this.takesAttribute = takesAttribute;
        this.maxGroupBy = maxGroupBy;
    }

    /** The function name as written in TraceQL. */
    public String functionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the function takes an attribute argument. */
    public boolean takesAttribute() {
        return takesAttribute;
    }

    /** The largest number of {@code by} fields Tempo supports for this function. */
    public int maxGroupBy() {
        return maxGroupBy;
    }
}
