package io.vivace.distributor.receiver;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.errors.VivaceException;
import io.vivace.distributor.Distributor;
import io.vivace.distributor.zipkin.ZipkinJson;
import io.vivace.distributor.zipkin.ZipkinProto;
import io.vivace.distributor.zipkin.ZipkinSpan;
import io.vivace.distributor.zipkin.ZipkinToOtlp;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Zipkin v2 spans ({@code POST /api/v2/spans}), answering as the Collector's {@code zipkinreceiver}
 * does: {@code application/x-protobuf} (or {@code application/protobuf}) bodies are proto3
 * {@code ListOfSpans}, every other content type is read as the v2 JSON list (the receiver's
 * default); gzip or deflate bodies are decompressed; success is 202 with an empty body; errors are
 * plain text with the refusal's status, and {@code Retry-After} on 429 and 503.
 */
public final class ZipkinService implements HttpService {
    /** The path Zipkin reporters post v2 spans to. */
    public static final String PATH = "/api/v2/spans";

    private final Distributor distributor;
    private final long maxBodyBytes;

    /**
     * Creates the service.
     *
     * @param distributor where translated spans go
     * @param maxBodyBytes largest body accepted, compressed and after decompression
     */
    public ZipkinService(Distributor distributor, long maxBodyBytes) {
        this.distributor = Objects.requireNonNull(distributor, "distributor");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: > 0)");
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return Refusals.text(HttpStatus.METHOD_NOT_ALLOWED, OtlpHttpService.METHOD_NOT_ALLOWED);
        }
        ctx.setMaxRequestLength(maxBodyBytes);
        String tenantHeader = req.headers().get(Receivers.ORG_ID_HEADER);
        boolean protobuf = isProtobuf(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
        CompletableFuture<HttpResponse> response = req.aggregate()
                .handle((agg, error) -> error != null
                        ? CompletableFuture.completedFuture(refuse(OtlpHttpService.aggregationFailure(error), tenantHeader))
                        : handle(agg, protobuf, tenantHeader))
                .thenCompose(f -> f);
        return HttpResponse.of(response);
    }

    private CompletableFuture<HttpResponse> handle(AggregatedHttpRequest agg, boolean protobuf, String tenantHeader) {
        List<ResourceSpans> resourceSpans;
        try {
            byte[] body = RequestBodies.decode(agg.headers(), agg.content(), maxBodyBytes);
            List<ZipkinSpan> spans;
            try {
                spans = protobuf ? ZipkinProto.parse(body) : ZipkinJson.parse(body);
                resourceSpans = ZipkinToOtlp.translate(spans);
            } catch (IllegalArgumentException e) {
                throw VivaceException.invalid(Distributor.REASON_BAD_REQUEST, e.getMessage());
            }
        } catch (VivaceException e) {
            return CompletableFuture.completedFuture(refuse(e, tenantHeader));
        }
        byte[] encoded = TracesData.newBuilder().addAllResourceSpans(resourceSpans).build().toByteArray();
        return distributor.push(tenantHeader, resourceSpans, encoded, encoded.length)
                .handle((ignored, error) -> error == null ? HttpResponse.of(HttpStatus.ACCEPTED)
                        : Refusals.text(Refusals.unwrap(error), distributor.retryAfter()));
    }

    private HttpResponse refuse(VivaceException e, String tenantHeader) {
        distributor.metrics().discarded(distributor.tenantLabel(tenantHeader), Refusals.reason(e), 0);
        return Refusals.text(e, distributor.retryAfter());
    }

    private static boolean isProtobuf(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/x-protobuf") || type.equals("application/protobuf");
    }
}
