package io.vivace.traceql.ast;

import java.util.List;

/**
 * A search pipeline: stages separated by {@code |}. At the top of a query it is the whole search;
 * inside a {@link SpansetOperation} it is a wrapped pipeline such as {@code ({ .a } | count() > 1)}.
 * A parenthesised group holding a single spanset expression is not a pipeline: the parser keeps
 * only the expression.
 *
 * @param stages one or more stages, in order
 */
public record Pipeline(List<PipelineStage> stages) implements SpansetExpression, QueryBody {
    /** Copies the stages and checks there is at least one. */
    public Pipeline {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages: [] (expected: at least one stage)");
        }
    }

    /** A pipeline of the given stages. */
    public static Pipeline of(PipelineStage... stages) {
        return new Pipeline(List.of(stages));
    }

    @Override
    public String toString() {
        return TraceQLPrinter.print(this);
    }
}
