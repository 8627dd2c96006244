package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * {@code left op right} between two spanset expressions. Both sides are evaluated on the same
 * input spanset (not one after the other).
 *
 * @param operator the operator
 * @param left the left-hand side
 * @param right the right-hand side
 */
public record SpansetOperation(SpansetOperator operator, SpansetExpression left, SpansetExpression right)
        implements SpansetExpression {
    /** Checks that no component is null. */
    public SpansetOperation {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
