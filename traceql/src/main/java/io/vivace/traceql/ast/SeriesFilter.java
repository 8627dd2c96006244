package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * A comparison written after a metrics function without {@code |}, e.g. {@code rate() > 10}:
 * points failing it are dropped.
 *
 * @param operator one of {@code = != < <= > >=}
 * @param threshold a folded int, float or duration constant (durations compare as seconds)
 */
public record SeriesFilter(BinaryOperator operator, Static threshold) implements SecondStage {
    /** Checks the operator is a comparison and the threshold numeric. */
    public SeriesFilter {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(threshold, "threshold");
        if (!operator.isEquality() && !operator.isOrdering()) {
            throw new IllegalArgumentException("operator: " + operator + " (expected: = != < <= > >=)");
        }
        if (!threshold.isNumeric()) {
            throw new IllegalArgumentException("threshold: " + threshold + " (expected: a number or duration)");
        }
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
