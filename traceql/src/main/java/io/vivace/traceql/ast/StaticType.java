package io.vivace.traceql.ast;

/**
 * Static types of TraceQL values (spec 6.1). {@link #ATTRIBUTE} is the unknown type of an
 * attribute reference, resolved per span.
 */
public enum StaticType {
    /** {@code nil}. */
    NIL,
    /** 64-bit signed integer. */
    INT,
    /** 64-bit float. */
    FLOAT,
    /** String. */
    STRING,
    /** Boolean. */
    BOOL,
    /** Duration in nanoseconds. */
    DURATION,
    /** Span status ({@code ok error unset}). */
    STATUS,
    /** Span kind ({@code unspecified internal server client producer consumer}). */
    KIND,
    /** Unknown until evaluated: the type of an attribute reference. */
    ATTRIBUTE;

    /** Whether the type is int, float or duration (compared and combined numerically). */
    public boolean isNumeric() {
        return this == INT || this == FLOAT || this == DURATION;
    }
}
