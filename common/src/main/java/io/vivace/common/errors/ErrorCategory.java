package io.vivace.common.errors;

/**
 * What kind of failure an error is; each category maps once to an HTTP status and a gRPC status
 * code, so every protocol answers the same failure the same way.
 */
public enum ErrorCategory {
    /** The request is malformed or breaks a validation rule. */
    INVALID_ARGUMENT(400, 3),
    /** No tenant, or a tenant the server does not accept. */
    UNAUTHENTICATED(401, 16),
    /** The thing asked for does not exist. */
    NOT_FOUND(404, 5),
    /** The request body is larger than allowed. */
    PAYLOAD_TOO_LARGE(413, 8),
    /** The request's content type is not one the endpoint reads. */
    UNSUPPORTED_MEDIA_TYPE(415, 3),
    /** A rate or size limit refused the request; the client may retry later. */
    RESOURCE_EXHAUSTED(429, 8),
    /** The server cannot serve right now (starting, stopping, a dependency is down); retryable. */
    UNAVAILABLE(503, 14),
    /** The request took longer than allowed. */
    DEADLINE_EXCEEDED(504, 4),
    /** A bug or an unexpected failure inside the server. */
    INTERNAL(500, 13);

    private final int httpStatus;
    private final int grpcCode;

    ErrorCategory(int httpStatus, int grpcCode) {
        this.httpStatus = httpStatus;
        this.grpcCode = grpcCode;
    }

    /** The HTTP status code for this category. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The numeric gRPC status code ({@code io.grpc.Status.Code#value()}) for this category. */
    public int grpcCode() {
        return grpcCode;
    }
}
