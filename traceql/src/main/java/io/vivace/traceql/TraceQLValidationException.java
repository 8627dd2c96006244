package io.vivace.traceql;

import java.util.Optional;

/**
 * A query that parses but breaks a validation rule (types, regex syntax, nil on intrinsics,
 * aggregate arguments, metrics limits, unsupported features). The message names the offending
 * expression, e.g. {@code binary operations must operate on the same type: status = 2}, and ends
 * with its position when known.
 */
public final class TraceQLValidationException extends TraceQLException {
    private static final long serialVersionUID = 1L;

    private final transient SourcePosition position;

    /**
     * Creates a validation error.
     *
     * @param detail what is wrong
     * @param position where, or {@code null} when unknown (e.g. a tree built by code)
     */
    public TraceQLValidationException(String detail, SourcePosition position) {
        super("invalid_traceql", position == null ? detail : detail + " (at " + position + ")", detail);
        this.position = position;
    }

    /** Where the offending expression starts, if known. */
    public Optional<SourcePosition> position() {
        return Optional.ofNullable(position);
    }
}
