package io.vivace.traceql.ast;

import java.util.List;

/**
 * The stage {@code select(a, b, ...)}: returns the listed fields for the result spans; it does not
 * filter.
 *
 * @param fields one or more attributes or intrinsics
 */
public record Select(List<FieldReference> fields) implements PipelineStage {
    /** Copies the fields and checks there is at least one. */
    public Select {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("fields: [] (expected: at least one field)");
        }
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
