package io.vivace.traceql.ast;

/**
 * Any node of the TraceQL syntax tree. Nodes are immutable and compare structurally;
 * {@code toString()} is the canonical TraceQL text of the node (see {@link TraceQLPrinter}).
 */
public sealed interface Node
        permits Query, QueryBody, PipelineStage, FieldExpression, ScalarExpression, MetricsExpression,
                MetricsFunction, SecondStage, Hints, Hint {
}
