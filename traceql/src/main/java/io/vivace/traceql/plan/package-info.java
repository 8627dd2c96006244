/**
 * First steps of query planning that only need the syntax tree: extracting the
 * {@code field op literal} conditions of a spanset filter, which storage can evaluate while it
 * scans (push-down), and the lenient filter used by tag autocomplete.
 */
package io.vivace.traceql.plan;
