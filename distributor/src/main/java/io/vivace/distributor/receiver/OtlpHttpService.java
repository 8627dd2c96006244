package io.vivace.distributor.receiver;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.distributor.Distributor;
import io.vivace.model.json.OtlpJson;
import io.vivace.model.wire.OtlpWireBatch;
import io.vivace.model.wire.OtlpWireScanner;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP/HTTP traces ({@code POST /v1/traces}), answering as the Collector's {@code otlpreceiver}
 * does: protobuf ({@code application/x-protobuf} or {@code application/protobuf}) or OTLP/JSON
 * ({@code application/json}) bodies, optionally gzip or deflate compressed; 200 with an empty
 * {@code ExportTraceServiceResponse} in the request's encoding; errors as a {@code google.rpc.Status}
 * in the request's encoding with the status of the refusal (400, 401, 413, 429, 503), and
 * {@code Retry-After} on 429 and 503; 405 and 415 as plain text.
 *
 * <p>The body is aggregated and checked on the event loop (CPU only, bounded by
 * {@code max_request_body_size}): a protobuf body is scanned in place and handed on as it is (no
 * protobuf objects), a JSON body is decoded and encoded; the response is sent when the
 * distributor's future completes, so no thread waits for the ingest log.
 */
public final class OtlpHttpService implements HttpService {
    /** The path OTLP exporters post traces to. */
    public static final String PATH = "/v1/traces";

    static final String METHOD_NOT_ALLOWED = "405 method not allowed, supported: [POST]";
    static final String UNSUPPORTED_MEDIA_TYPE =
            "415 unsupported media type, supported: [application/json, application/x-protobuf]";

    private final Distributor distributor;
    private final long maxBodyBytes;

    /**
     * Creates the service.
     *
     * @param distributor where decoded spans go
     * @param maxBodyBytes largest body accepted, compressed and after decompression
     */
    public OtlpHttpService(Distributor distributor, long maxBodyBytes) {
        this.distributor = Objects.requireNonNull(distributor, "distributor");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: > 0)");
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return Refusals.text(HttpStatus.METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED);
        }
        Boolean json = isJson(req);
        if (json == null) {
            return Refusals.text(HttpStatus.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_MEDIA_TYPE);
        }
        ctx.setMaxRequestLength(maxBodyBytes);
        String tenantHeader = req.headers().get(Receivers.ORG_ID_HEADER);
        CompletableFuture<HttpResponse> response = req.aggregate()
                .handle((agg, error) -> error != null
                        ? CompletableFuture.completedFuture(refuse(aggregationFailure(error), json, tenantHeader))
                        : handle(agg, json, tenantHeader))
                .thenCompose(f -> f);
        return HttpResponse.of(response);
    }

    private CompletableFuture<HttpResponse> handle(AggregatedHttpRequest agg, boolean json, String tenantHeader) {
        CompletableFuture<Void> pushed;
        try {
            byte[] body = RequestBodies.decode(agg.headers(), agg.content(), maxBodyBytes);
            if (json) {
                ExportTraceServiceRequest request = parseJson(body);
                pushed = distributor.push(tenantHeader, request.getResourceSpansList(), null, request.getSerializedSize());
            } else {
                // An OTLP protobuf body is already the TracesData wire form: it is checked in place and
                // handed on as it is, never decoded into objects.
                OtlpWireBatch scanned = scanProtobuf(body);
                pushed = distributor.push(tenantHeader, scanned, body, body.length);
            }
        } catch (VivaceException e) {
            return CompletableFuture.completedFuture(refuse(e, json, tenantHeader));
        }
        return pushed.handle((ignored, error) -> error == null ? success(json)
                : Refusals.otlpHttp(Refusals.unwrap(error), json, distributor.retryAfter()));
    }

    private HttpResponse refuse(VivaceException e, boolean json, String tenantHeader) {
        distributor.metrics().discarded(distributor.tenantLabel(tenantHeader), Refusals.reason(e), 0);
        return Refusals.otlpHttp(e, json, distributor.retryAfter());
    }

    static VivaceException aggregationFailure(Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (t instanceof ContentTooLargeException) {
            return new VivaceException(ErrorCategory.PAYLOAD_TOO_LARGE, Distributor.REASON_TOO_LARGE,
                    "request body is too large (limit: max_request_body_size of the receiver)");
        }
        return VivaceException.invalid(Distributor.REASON_BAD_REQUEST, "failed to read the request body: " + t);
    }

    private static OtlpWireBatch scanProtobuf(byte[] body) {
        try {
            return OtlpWireScanner.scan(body);
        } catch (IllegalArgumentException e) {
            throw VivaceException.invalid(Distributor.REASON_BAD_REQUEST,
                    "proto: failed to unmarshal ExportTraceServiceRequest: " + e.getMessage());
        }
    }

    private static ExportTraceServiceRequest parseJson(byte[] body) {
        try {
            return OtlpJson.parseRequest(body);
        } catch (RuntimeException e) {
            throw VivaceException.invalid(Distributor.REASON_BAD_REQUEST, String.valueOf(e.getMessage()));
        }
    }

    private static HttpResponse success(boolean json) {
        return json ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, HttpData.ofUtf8("{}"))
                : HttpResponse.of(HttpStatus.OK, Refusals.X_PROTOBUF, HttpData.empty());
    }

    /** True for JSON, false for protobuf, {@code null} for any other (or no) content type. */
    static Boolean isJson(HttpRequest req) {
        String contentType = req.headers().get(com.linecorp.armeria.common.HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> Boolean.TRUE;
            case "application/x-protobuf", "application/protobuf" -> Boolean.FALSE;
            default -> null;
        };
    }
}
