package io.vivace.traceql.ast;

/**
 * What a query computes: a search {@link Pipeline}, a {@link MetricsPipeline}, or {@link MetricsMath}
 * (arithmetic between metrics pipelines).
 */
public sealed interface QueryBody extends Node permits Pipeline, MetricsPipeline, MetricsMath {
}
