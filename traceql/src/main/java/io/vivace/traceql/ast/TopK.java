package io.vivace.traceql.ast;

/**
 * {@code | topk(k)}: per timestamp, keep the k highest series.
 *
 * @param limit k; validation requires it to be at least 1
 */
public record TopK(long limit) implements SecondStage {
    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
