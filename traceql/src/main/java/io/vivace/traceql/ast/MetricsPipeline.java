package io.vivace.traceql.ast;

import java.util.List;
import java.util.Objects;

/**
 * {@code <search pipeline> | <metrics function> [second stages]}, e.g.
 * {@code { status = error } | rate() by (resource.service.name) | topk(5)}.
 * A parenthesised metrics pipeline used alone, {@code ({} | rate()) | topk(2)}, is normalised to
 * this shape with the second stages concatenated (they apply left to right either way).
 *
 * @param pipeline the spans fed to the function
 * @param function the first-stage metrics function
 * @param secondStages operations on the produced series, in order
 */
public record MetricsPipeline(Pipeline pipeline, MetricsFunction function, List<SecondStage> secondStages)
        implements QueryBody, MetricsExpression {
    /** Copies the second stages and checks that no component is null. */
    public MetricsPipeline {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(function, "function");
        secondStages = List.copyOf(secondStages);
    }

    /** A metrics pipeline without second stages. */
    public MetricsPipeline(Pipeline pipeline, MetricsFunction function) {
        this(pipeline, function, List.of());
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
