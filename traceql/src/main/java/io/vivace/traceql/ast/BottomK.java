package io.vivace.traceql.ast;

/**
 * {@code | bottomk(k)}: per timestamp, keep the k lowest series.
 *
 * @param limit k; validation requires it to be at least 1
 */
public record BottomK(long limit) implements SecondStage {
    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
