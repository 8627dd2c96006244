/**
 * The TraceQL search engine and the storage SPI it needs.
 *
 * <p>A source of spans (a block, the ingester's live traces) implements {@link
 * io.vivace.traceql.engine.TraceSource}: given a {@link io.vivace.traceql.engine.FetchRequest} it
 * streams every trace that <em>may</em> satisfy the request's {@link
 * io.vivace.traceql.engine.TracePredicate} (a superset is fine, a missed trace is a bug) as an
 * {@link io.vivace.traceql.engine.EvalTrace}. The engine ({@link
 * io.vivace.traceql.engine.TraceSearch}) then evaluates the whole query exactly on each trace: this
 * is the second pass of design.md §5, the storage's pruning and vectorised condition checks are the
 * first. Results of several sources are merged by {@link io.vivace.traceql.engine.SearchCombiner};
 * {@link io.vivace.traceql.engine.SpanTags} answers tag-name and tag-value requests generically and
 * {@link io.vivace.traceql.engine.TracePredicates} checks a predicate on an in-memory trace.
 *
 * <p>Inside, a query is compiled once: field expressions into {@code Expr} nodes, pipeline stages
 * into {@code Stage}s working on {@code Spanset}s (sorted span arrays plus spanset attributes).
 * Semantics and the decisions where the spec is silent are listed in the module's RATIONALE.md.
 */
package io.vivace.traceql.engine;
