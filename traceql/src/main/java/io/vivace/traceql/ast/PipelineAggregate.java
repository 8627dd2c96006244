package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * An aggregate over a wrapped pipeline, {@code ({ .a } | count())}. Parses, but validation rejects
 * it as not yet supported (as Tempo does).
 *
 * @param pipeline the pipeline producing the spansets
 * @param aggregate the aggregate applied to them
 */
public record PipelineAggregate(Pipeline pipeline, Aggregate aggregate) implements ScalarExpression {
    /** Checks that no component is null. */
    public PipelineAggregate {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(aggregate, "aggregate");
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
