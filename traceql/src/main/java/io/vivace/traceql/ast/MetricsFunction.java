package io.vivace.traceql.ast;

/** A first-stage metrics function: an aggregation over time, or {@code compare()}. */
public sealed interface MetricsFunction extends Node permits MetricsAggregate, Compare {
}
