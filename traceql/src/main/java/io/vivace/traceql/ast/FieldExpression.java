package io.vivace.traceql.ast;

/**
 * An expression evaluated per span: inside {@code {}}, {@code by()} and aggregate arguments.
 */
public sealed interface FieldExpression extends Node
        permits Static, FieldReference, BinaryOperation, UnaryOperation {
}
