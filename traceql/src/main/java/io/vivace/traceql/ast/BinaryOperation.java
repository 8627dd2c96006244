package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * {@code left op right} inside a field expression. Operations whose operands are all literals are
 * folded by the parser (spec 6.3), so a comparison such as {@code span.a = 1 + 1} arrives here as
 * {@code span.a = 2}: an attribute and a {@link Static}, ready to be pushed down.
 *
 * @param operator the operator
 * @param left the left operand
 * @param right the right operand
 */
public record BinaryOperation(BinaryOperator operator, FieldExpression left, FieldExpression right)
        implements FieldExpression {
    /** Checks that no component is null. */
    public BinaryOperation {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
