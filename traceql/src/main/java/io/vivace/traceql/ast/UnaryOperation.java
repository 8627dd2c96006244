package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * {@code -operand} or {@code !operand} inside a field expression.
 *
 * @param operator the operator
 * @param operand the operand
 */
public record UnaryOperation(UnaryOperator operator, FieldExpression operand) implements FieldExpression {
    /** Checks that no component is null. */
    public UnaryOperation {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(operand, "operand");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
