package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * Arithmetic between scalar operands where at least one side is not constant, e.g.
 * {@code count() + 1}. Parses, but validation rejects it as not yet supported (as Tempo does).
 *
 * @param operator an arithmetic operator
 * @param left the left operand
 * @param right the right operand
 */
public record ScalarOperation(BinaryOperator operator, ScalarExpression left, ScalarExpression right)
        implements ScalarExpression {
    /** Checks the operator is arithmetic and no component is null. */
    public ScalarOperation {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (!operator.isArithmetic()) {
            throw new IllegalArgumentException("operator: " + operator + " (expected: + - * / % ^)");
        }
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
