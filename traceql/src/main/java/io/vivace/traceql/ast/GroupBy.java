package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * The stage {@code by(expression)}: splits each spanset into one spanset per distinct value.
 *
 * @param expression the grouping key; must reference the span
 */
public record GroupBy(FieldExpression expression) implements PipelineStage {
    /** Checks the expression is not null. */
    public GroupBy {
        Objects.requireNonNull(expression, "expression");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
