package io.vivace.traceql.ast;

import java.util.Locale;

/** The aggregates usable in scalar filters. */
public enum AggregateFunction {
    /** {@code count()}: the number of spans in the spanset; takes no argument. */
    COUNT,
    /** {@code avg(e)}: the mean of a numeric expression over the spans. */
    AVG,
    /** {@code min(e)}: the smallest value. */
    MIN,
    /** {@code max(e)}: the largest value. */
    MAX,
    /** {@code sum(e)}: the sum of the values. */
    SUM;

    /** The function name as written in TraceQL. */
    public String functionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
