/**
 * The lexer and parser generated at build time from {@code TraceQL.g4} (ANTLR4). Internal: use
 * {@link io.vivace.traceql.TraceQLParser}, which turns the parse tree into the immutable syntax
 * tree of {@link io.vivace.traceql.ast} and every syntax error into one
 * {@link io.vivace.traceql.TraceQLParseException}.
 */
package io.vivace.traceql.parser;
