package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * A spanset filter {@code { expression }}: keeps the spans for which the expression is true.
 * The empty filter {@code {}} is stored as {@code { true }}.
 *
 * @param expression a boolean (or attribute-typed) field expression
 */
public record SpansetFilter(FieldExpression expression) implements SpansetExpression {
    /** The filter {@code {}} that keeps every span. */
    public static final SpansetFilter ALL = new SpansetFilter(Static.TRUE);

    /** Checks the expression is not null. */
    public SpansetFilter {
        Objects.requireNonNull(expression, "expression");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
