package io.vivace.traceql.ast;

/**
 * A value read from the span: an {@link Attribute} or an {@link IntrinsicField}. These are what
 * storage must fetch, and the only things allowed in {@code select()} and metrics {@code by()}.
 */
public sealed interface FieldReference extends FieldExpression permits Attribute, IntrinsicField {
}
