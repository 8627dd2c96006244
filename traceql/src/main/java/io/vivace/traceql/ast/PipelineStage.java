package io.vivace.traceql.ast;

/**
 * One stage of a search pipeline ({@code stage | stage | ...}). Each stage maps the list of
 * spansets of a trace to a new list.
 */
public sealed interface PipelineStage extends Node
        permits SpansetExpression, ScalarFilter, GroupBy, Coalesce, Select {
}
