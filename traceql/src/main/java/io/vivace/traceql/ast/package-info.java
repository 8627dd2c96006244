/**
 * The immutable TraceQL syntax tree: records and sealed interfaces, so that equality is
 * structural and every consumer can switch exhaustively over node kinds.
 *
 * <p>Every node prints back to canonical TraceQL through {@link io.vivace.traceql.ast.TraceQLPrinter}
 * (also its {@code toString()}); parsing that text yields an equal tree. Shapes are chosen for the
 * planner: {@code attribute op literal} comparisons are plain {@link io.vivace.traceql.ast.BinaryOperation}
 * nodes over a {@link io.vivace.traceql.ast.FieldReference} and a folded {@link io.vivace.traceql.ast.Static},
 * so they can be pushed down to storage without rewriting.
 */
package io.vivace.traceql.ast;
