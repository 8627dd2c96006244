package io.vivace.traceql;

import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;

/**
 * A query that cannot be run because it is not valid TraceQL. Always a 400 / InvalidArgument; the
 * HTTP layer prefixes the message with {@code invalid TraceQL query: } as Tempo does.
 */
public abstract sealed class TraceQLException extends VivaceException
        permits TraceQLParseException, TraceQLValidationException {
    private static final long serialVersionUID = 1L;

    /** The message without position, as the subclass words it. */
    private final String detail;

    TraceQLException(String reason, String message, String detail) {
        super(ErrorCategory.INVALID_ARGUMENT, reason, message);
        this.detail = detail;
    }

    /** What is wrong, without the position prefix. */
    public String detail() {
        return detail;
    }
}
