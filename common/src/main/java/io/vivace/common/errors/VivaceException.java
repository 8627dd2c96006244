package io.vivace.common.errors;

import java.time.Duration;
import java.util.Objects;

/**
 * An error with a {@link ErrorCategory} and a message a user can act on. Protocol adapters turn it
 * into an HTTP status with the message as a plain-text (or OTLP {@code Status}) body, or into a gRPC
 * status. {@link #retryAfter()} is set for refusals the client should retry later.
 */
public class VivaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCategory category;
    private final String reason;
    private final Duration retryAfter;

    /**
     * Creates an error.
     *
     * @param category what kind of failure
     * @param reason a short machine-friendly reason for metrics labels (e.g. {@code rate_limited})
     * @param message the message shown to the user
     * @param retryAfter when the client may retry, or {@code null}
     */
    public VivaceException(ErrorCategory category, String reason, String message, Duration retryAfter) {
        super(message);
        this.category = Objects.requireNonNull(category, "category");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfter = retryAfter;
    }

    /** Creates an error without a retry hint. */
    public VivaceException(ErrorCategory category, String reason, String message) {
        this(category, reason, message, null);
    }

    /** A 400 / InvalidArgument error. */
    public static VivaceException invalid(String reason, String message) {
        return new VivaceException(ErrorCategory.INVALID_ARGUMENT, reason, message);
    }

    /** The category. */
    public ErrorCategory category() {
        return category;
    }

    /** Short reason for metrics labels. */
    public String reason() {
        return reason;
    }

    /** When the client may retry, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
