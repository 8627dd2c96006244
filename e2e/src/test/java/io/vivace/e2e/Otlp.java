package io.vivace.e2e;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.Random;

/** Builds OTLP protobuf requests by hand for load, crash and bad-input tests. */
final class Otlp {
    private Otlp() {}

    /** A request of {@code traces} fresh traces with {@code spansPerTrace} spans each; returns it and the trace IDs (hex). */
    static Built request(Random random, int traces, int spansPerTrace) {
        ResourceSpans.Builder rs = ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "load-" + random.nextInt(4))));
        ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("e2e-load"));
        String[] ids = new String[traces];
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int t = 0; t < traces; t++) {
            byte[] traceId = new byte[16];
            random.nextBytes(traceId);
            traceId[0] |= 1;
            ids[t] = HexFormat.of().formatHex(traceId);
            byte[] rootId = spanId(random);
            for (int s = 0; s < spansPerTrace; s++) {
                byte[] id = s == 0 ? rootId : spanId(random);
                Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(id))
                        .setName(s == 0 ? "GET /load" : "work-" + s).setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_INTERNAL)
                        .setStartTimeUnixNano(now + s * 1000L).setEndTimeUnixNano(now + s * 1000L + 500_000L)
                        .addAttributes(kv("http.method", "GET")).addAttributes(kv("user_agent.original", "Mozilla/5.0 e2e"));
                if (s > 0) {
                    span.setParentSpanId(ByteString.copyFrom(rootId));
                }
                ss.addSpans(span);
            }
        }
        rs.addScopeSpans(ss);
        return new Built(ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build(), ids);
    }

    record Built(ExportTraceServiceRequest request, String[] traceIds) {}

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static byte[] spanId(Random random) {
        byte[] b = new byte[8];
        random.nextBytes(b);
        b[0] |= 1;
        return b;
    }
}
