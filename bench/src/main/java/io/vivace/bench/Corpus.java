package io.vivace.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The workload of {@code shared/docs/targets.md}: OTLP requests of 1,000 spans (about 490 bytes per
 * span), 20 spans per trace, 8 services, 8 HTTP-style attributes including a 100-character user agent.
 */
public final class Corpus {
    static final String[] SERVICES = {"frontend", "cart", "checkout", "payment", "shipping", "email", "currency", "ads"};
    static final String[] ROUTES = {"/api/cart", "/api/checkout", "/api/products/{id}", "/api/currency", "/api/ads", "/api/shipping"};
    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 VivaceBench";

    private Corpus() {}

    /** One request of {@code traces} traces × {@code spansPerTrace} spans with random IDs. */
    public static ExportTraceServiceRequest request(Random random, int traces, int spansPerTrace) {
        List<List<Span>> byService = new ArrayList<>();
        for (int i = 0; i < SERVICES.length; i++) {
            byService.add(new ArrayList<>());
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int t = 0; t < traces; t++) {
            byte[] traceId = new byte[16];
            random.nextBytes(traceId);
            ByteString tid = ByteString.copyFrom(traceId);
            ByteString parent = ByteString.EMPTY;
            for (int s = 0; s < spansPerTrace; s++) {
                byte[] spanId = new byte[8];
                random.nextBytes(spanId);
                spanId[0] |= 1;
                ByteString sid = ByteString.copyFrom(spanId);
                int service = s == 0 ? 0 : 1 + random.nextInt(SERVICES.length - 1);
                long start = now + s * 1_000_000L;
                String route = ROUTES[random.nextInt(ROUTES.length)];
                int status = random.nextInt(100) < 3 ? 500 : 200;
                Span.Builder span = Span.newBuilder().setTraceId(tid).setSpanId(sid).setParentSpanId(parent)
                        .setName((s == 0 ? "GET " : "call ") + route)
                        .setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 1_000_000L + random.nextInt(50_000_000))
                        .addAttributes(kv("http.method", METHODS[random.nextInt(METHODS.length)]))
                        .addAttributes(kvInt("http.status_code", status))
                        .addAttributes(kv("http.route", route))
                        .addAttributes(kv("http.url", "https://shop.example.com" + route + "?session=" + random.nextInt(1000)))
                        .addAttributes(kv("user_agent.original", USER_AGENT))
                        .addAttributes(kv("net.peer.name", SERVICES[service] + ".svc.cluster.local"))
                        .addAttributes(kvInt("net.peer.port", 8080))
                        .addAttributes(kv("component", "http"));
                if (status == 500) {
                    span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("internal error"));
                }
                byService.get(service).add(span.build());
                if (s == 0) {
                    parent = sid;
                }
            }
        }
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        for (int i = 0; i < SERVICES.length; i++) {
            if (byService.get(i).isEmpty()) {
                continue;
            }
            req.addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(kv("service.name", SERVICES[i]))
                            .addAttributes(kv("k8s.namespace.name", "shop")).addAttributes(kv("host.name", "node-" + i)))
                    .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.http").setVersion("1.0"))
                            .addAllSpans(byService.get(i))));
        }
        return req.build();
    }

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    static KeyValue kvInt(String k, long v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
    }
}
