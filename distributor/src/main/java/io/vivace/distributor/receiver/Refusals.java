package io.vivace.distributor.receiver;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.distributor.Distributor;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns failures into the statuses and bodies the receivers answer with. */
final class Refusals {
    static final MediaType X_PROTOBUF = MediaType.create("application", "x-protobuf");

    private static final JsonFormat.Printer STATUS_PRINTER = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(RetryInfo.getDescriptor()).build())
            .omittingInsignificantWhitespace();

    private Refusals() {}

    /** The {@link VivaceException} behind {@code error}, or an {@code UNAVAILABLE} one for anything else. */
    static VivaceException unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof VivaceException ve) {
            return ve;
        }
        return new VivaceException(ErrorCategory.UNAVAILABLE, "internal", "failed to push spans: " + t, null);
    }

    /** The retry delay a refusal carries: its own, or for retryable categories the distributor's default. */
    static Duration retryDelay(VivaceException e, Duration defaultDelay) {
        if (e.retryAfter() != null) {
            return e.retryAfter();
        }
        boolean retryable = e.category() == ErrorCategory.RESOURCE_EXHAUSTED || e.category() == ErrorCategory.UNAVAILABLE;
        return retryable && !defaultDelay.isZero() ? defaultDelay : null;
    }

    /**
     * The {@code google.rpc.Status} for a refusal; a {@code RESOURCE_EXHAUSTED} refusal with a retry
     * delay carries a {@code google.rpc.RetryInfo} detail, which is what makes OTel exporters retry.
     */
    static com.google.rpc.Status rpcStatus(VivaceException e) {
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder()
                .setCode(e.category().grpcCode())
                .setMessage(String.valueOf(e.getMessage()));
        if (e.category() == ErrorCategory.RESOURCE_EXHAUSTED && e.retryAfter() != null && !e.retryAfter().isZero()) {
            Duration d = e.retryAfter();
            s.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()))
                    .build()));
        }
        return s.build();
    }

    /**
     * An OTLP/HTTP error: the status of the refusal's category and a {@code google.rpc.Status} body
     * in the request's encoding (protobuf, or protobuf JSON), with {@code Retry-After} on 429 and 503.
     */
    static HttpResponse otlpHttp(VivaceException e, boolean json, Duration defaultRetryDelay) {
        com.google.rpc.Status status = rpcStatus(e);
        ResponseHeadersBuilder headers = headers(e, defaultRetryDelay);
        if (json) {
            String body;
            try {
                body = STATUS_PRINTER.print(status);
            } catch (InvalidProtocolBufferException ex) {
                // Only RetryInfo is ever packed, and it is registered; keep the message even so.
                body = "{\"code\":" + status.getCode() + "}";
            }
            return HttpResponse.of(headers.contentType(MediaType.JSON).build(),
                    com.linecorp.armeria.common.HttpData.ofUtf8(body));
        }
        return HttpResponse.of(headers.contentType(X_PROTOBUF).build(),
                com.linecorp.armeria.common.HttpData.wrap(status.toByteArray()));
    }

    /** A plain-text error (Zipkin, and OTLP/HTTP before the body's encoding is known). */
    static HttpResponse text(VivaceException e, Duration defaultRetryDelay) {
        return HttpResponse.of(headers(e, defaultRetryDelay).contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
                com.linecorp.armeria.common.HttpData.ofUtf8(String.valueOf(e.getMessage())));
    }

    /** A plain-text response with {@code status}. */
    static HttpResponse text(HttpStatus status, String message) {
        return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
    }

    private static ResponseHeadersBuilder headers(VivaceException e, Duration defaultRetryDelay) {
        int code = e.category().httpStatus();
        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.valueOf(code));
        Duration delay = retryDelay(e, defaultRetryDelay);
        if ((code == 429 || code == 503) && delay != null) {
            // Whole seconds, rounded up so that a client never retries early.
            long seconds = delay.getSeconds() + (delay.getNano() > 0 ? 1 : 0);
            headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, seconds)));
        }
        return headers;
    }

    /** The reason label of a receiver-level refusal, for the discarded-spans metric. */
    static String reason(VivaceException e) {
        return e.reason() == null || e.reason().isEmpty() ? Distributor.REASON_BAD_REQUEST : e.reason();
    }
}
