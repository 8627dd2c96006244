package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * A pipeline stage comparing scalars, e.g. {@code count() > 2} or {@code avg(duration) > 1s}; a
 * spanset is kept when the comparison holds. Only {@code aggregate op constant} passes validation;
 * other shapes parse (as in Tempo) and are rejected as not yet supported.
 *
 * @param operator one of {@code = != < <= > >=}
 * @param left the left operand
 * @param right the right operand
 */
public record ScalarFilter(BinaryOperator operator, ScalarExpression left, ScalarExpression right)
        implements PipelineStage {
    /** Checks the operator is a comparison and no component is null. */
    public ScalarFilter {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (!operator.isOrdering() && !operator.isEquality()) {
            throw new IllegalArgumentException("operator: " + operator + " (expected: = != < <= > >=)");
        }
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
