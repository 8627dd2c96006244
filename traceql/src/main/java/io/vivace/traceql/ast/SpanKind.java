package io.vivace.traceql.ast;

import java.util.Locale;

/** The kind keywords {@code unspecified internal server client producer consumer}. */
public enum SpanKind {
    /** {@code unspecified}. */
    UNSPECIFIED,
    /** {@code internal}. */
    INTERNAL,
    /** {@code server}. */
    SERVER,
    /** {@code client}. */
    CLIENT,
    /** {@code producer}. */
    PRODUCER,
    /** {@code consumer}. */
    CONSUMER;

    /** The keyword as written in TraceQL. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
