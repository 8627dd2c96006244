package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * A folded constant operand of metrics arithmetic.
 *
 * @param value an int or float (durations are rejected at parse time, as in Tempo)
 */
public record MetricsConstant(Static value) implements MetricsExpression {
    /** Checks the value is an int or a float. */
    public MetricsConstant {
        Objects.requireNonNull(value, "value");
        if (value.type() != StaticType.INT && value.type() != StaticType.FLOAT) {
            throw new IllegalArgumentException("value: " + value + " (expected: an int or a float)");
        }
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
