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
 * first.
 */
package io.vivace.traceql.engine;
