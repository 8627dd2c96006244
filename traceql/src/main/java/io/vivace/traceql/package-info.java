/**
 * The TraceQL language front end: {@link io.vivace.traceql.TraceQL#compile(String)} parses
 * ({@link io.vivace.traceql.TraceQLParser}) and validates ({@link io.vivace.traceql.Validator}) a
 * query into the immutable tree of {@link io.vivace.traceql.ast}. Errors are
 * {@link io.vivace.traceql.TraceQLParseException} (syntax, with line and column) and
 * {@link io.vivace.traceql.TraceQLValidationException} (types and Tempo's rules), both 400s.
 *
 * <p>This package knows nothing of storage; the language follows shared/docs/traceql.md.
 */
package io.vivace.traceql;
