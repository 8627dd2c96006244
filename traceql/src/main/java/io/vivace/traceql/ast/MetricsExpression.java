package io.vivace.traceql.ast;

/**
 * An operand of metrics arithmetic (spec 8.4): a metrics pipeline, a constant, or arithmetic
 * between them. Constant-only subexpressions are folded by the parser, so every
 * {@link MetricsBinary} has at least one metrics pipeline below it.
 */
public sealed interface MetricsExpression extends Node permits MetricsPipeline, MetricsBinary, MetricsConstant {
}
