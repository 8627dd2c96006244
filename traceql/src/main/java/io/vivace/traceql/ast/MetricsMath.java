package io.vivace.traceql.ast;

import java.util.List;
import java.util.Objects;

/**
 * Arithmetic between metrics pipelines at the top of a query, optionally followed by second
 * stages that apply to the result: {@code ({a} | rate()) / ({} | rate()) | topk(5) > 10}.
 *
 * @param expression the arithmetic (always a {@link MetricsBinary})
 * @param secondStages operations on the resulting series
 */
public record MetricsMath(MetricsBinary expression, List<SecondStage> secondStages) implements QueryBody {
    /** Copies the second stages and checks the expression is not null. */
    public MetricsMath {
        Objects.requireNonNull(expression, "expression");
        secondStages = List.copyOf(secondStages);
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
