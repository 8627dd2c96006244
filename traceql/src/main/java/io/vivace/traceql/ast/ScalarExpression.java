package io.vivace.traceql.ast;

/**
 * An operand of a {@link ScalarFilter}: an aggregate, a folded constant, arithmetic between them,
 * or an aggregate over a wrapped pipeline ({@code ({ .a } | count())}).
 */
public sealed interface ScalarExpression extends Node
        permits Aggregate, ScalarOperation, PipelineAggregate, Static {
}
