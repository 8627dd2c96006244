package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * An aggregate over the spans of a spanset, e.g. {@code count()} or {@code avg(duration)}.
 *
 * @param function the aggregate
 * @param argument the expression evaluated per span; {@code null} exactly for {@code count()}
 */
public record Aggregate(AggregateFunction function, FieldExpression argument) implements ScalarExpression {
    /** Checks that {@code count()} has no argument and the others have one. */
    public Aggregate {
        Objects.requireNonNull(function, "function");
        if ((function == AggregateFunction.COUNT) != (argument == null)) {
            throw new IllegalArgumentException("argument: " + argument + " (expected: none for count(), one otherwise)");
        }
    }

    /** {@code count()}. */
    public static Aggregate count() {
        return new Aggregate(AggregateFunction.COUNT, null);
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
