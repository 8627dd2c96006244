package io.vivace.traceql.ast;

/**
 * A stage that selects spans: a filter {@code {...}}, an operation between two spanset
 * expressions, or a parenthesised ("wrapped") pipeline used as an operand.
 */
public sealed interface SpansetExpression extends PipelineStage
        permits SpansetFilter, SpansetOperation, Pipeline {
}
