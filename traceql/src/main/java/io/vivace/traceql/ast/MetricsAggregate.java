package io.vivace.traceql.ast;

import java.util.List;
import java.util.Objects;

/**
 * An aggregating metrics function such as {@code rate() by (resource.service.name)} or
 * {@code quantile_over_time(duration, .5, .99)}.
 *
 * @param operation the function
 * @param attribute the field aggregated, {@code null} exactly for {@code rate()} and {@code count_over_time()}
 * @param quantiles the quantiles of {@code quantile_over_time} (non-empty there, empty otherwise)
 * @param by the grouping fields, empty when there is no {@code by (...)}
 */
public record MetricsAggregate(MetricsOperation operation, FieldReference attribute, List<Double> quantiles,
                               List<FieldReference> by) implements MetricsFunction {
    /** Copies the lists and checks the arguments fit the operation. */
    public MetricsAggregate {
        Objects.requireNonNull(operation, "operation");
        quantiles = List.copyOf(quantiles);
        by = List.copyOf(by);
        if (operation.takesAttribute() != (attribute != null)) {
            throw new IllegalArgumentException("attribute: " + attribute + " (expected: "
                    + (operation.takesAttribute() ? "one" : "none") + " for " + operation.functionName() + ")");
        }
        if ((operation == MetricsOperation.QUANTILE_OVER_TIME) == quantiles.isEmpty()) {
            throw new IllegalArgumentException("quantiles: " + quantiles + " (expected: non-empty exactly for quantile_over_time)");
        }
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
