package io.vivace.traceql.engine;

import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;

/**
 * A query failed while running on data: {@code !} on a non-boolean, array compared with array,
 * integer division by zero, a structural operator over several spansets per trace (traceql.md §10).
 * The query, not the server, is at fault: the API answers 400 / InvalidArgument.
 */
public final class TraceQLExecutionException extends VivaceException {
    private static final long serialVersionUID = 1L;

    public TraceQLExecutionException(String message) {
        super(ErrorCategory.INVALID_ARGUMENT, "traceql_execution", message);
    }
}
