package io.vivace.traceql.ast;

import java.util.Locale;

/** The status keywords {@code ok}, {@code error} and {@code unset}. */
public enum SpanStatus {
    /** {@code error}. */
    ERROR,
    /** {@code ok}. */
    OK,
    /** {@code unset}. */
    UNSET;

    /** The keyword as written in TraceQL. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
