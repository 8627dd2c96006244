package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * {@code compare({filter}[, topN[, start, end]])} (spec 8.5): splits spans into selection and
 * baseline and reports attribute value distributions for both. Omitted arguments are stored with
 * their defaults, so {@code compare({.a})} equals {@code compare({.a}, 10, 0, 0)}.
 *
 * @param selection the filter choosing the selection
 * @param topN values kept per attribute (default {@value #DEFAULT_TOP_N})
 * @param start selection window start, unix nanoseconds, 0 when not given
 * @param end selection window end, unix nanoseconds, 0 when not given
 */
public record Compare(SpansetFilter selection, long topN, long start, long end) implements MetricsFunction {
    /** The default {@code topN}. */
    public static final long DEFAULT_TOP_N = 10;

    /** Checks the selection is not null. */
    public Compare {
        Objects.requireNonNull(selection, "selection");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
