package io.vivace.traceql.ast;

/** An operation on the series produced by a metrics function (spec 8.3). */
public sealed interface SecondStage extends Node permits TopK, BottomK, SeriesFilter {
}
