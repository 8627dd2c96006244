package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * {@code left op right} between metrics expressions, e.g. {@code ({...} | rate()) / ({} | rate())}.
 *
 * @param operator one of {@code + - * /}
 * @param left the left operand
 * @param right the right operand
 */
public record MetricsBinary(BinaryOperator operator, MetricsExpression left, MetricsExpression right)
        implements MetricsExpression {
    /** Checks the operator and that no component is null. */
    public MetricsBinary {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (operator != BinaryOperator.ADD && operator != BinaryOperator.SUB
                && operator != BinaryOperator.MUL && operator != BinaryOperator.DIV) {
            throw new IllegalArgumentException("operator: " + operator + " (expected: + - * /)");
        }
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
