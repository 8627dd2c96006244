package io.vivace.ingester;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.ingest.PushBatch;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import java.util.ArrayList;
import java.util.List;

/** Builds OTLP spans and push batches for tests. */
final class TestSpans {
    static final long BASE_NANOS = 1_700_000_000_000_000_000L;

    private TestSpans() {}

    /** Trace ID number {@code n} (nonzero high and low halves). */
    static TraceId traceId(long n) {
        return new TraceId(0x1000_0000_0000_0000L + n, 0x2000_0000_0000_0000L + n * 31);
    }

    /** One resource with one scope holding spans {@code spanIds} of trace {@code id}. */
    static ResourceSpans resourceSpans(String service, TraceId id, long... spanIds) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
        for (long s : spanIds) {
            scope.addSpans(span(id, s));
        }
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(scope)
                .build();
    }

    static Span span(TraceId id, long spanId) {
        return Span.newBuilder()
                .setTraceId(id.toByteString())
                .setSpanId(SpanIds.toByteString(spanId))
                .setName("op-" + spanId)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(BASE_NANOS + spanId * 1_000)
                .setEndTimeUnixNano(BASE_NANOS + spanId * 1_000 + 500)
                .addAttributes(KeyValue.newBuilder().setKey("http.method").setValue(AnyValue.newBuilder().setStringValue("GET")))
                .build();
    }

    /** A push batch of {@code resourceSpans} with its wire form. */
    static PushBatch batch(String tenant, List<ResourceSpans> resourceSpans) {
        byte[] encoded = TracesData.newBuilder().addAllResourceSpans(resourceSpans).build().toByteArray();
        return new PushBatch(tenant, resourceSpans, encoded, Traces.spanCount(resourceSpans));
    }

    static PushBatch batch(String tenant, ResourceSpans... resourceSpans) {
        return batch(tenant, List.of(resourceSpans));
    }

    /** Span IDs of every span in {@code pieces}, in order. */
    static List<Long> spanIds(List<ResourceSpans> pieces) {
        List<Long> out = new ArrayList<>();
        for (ResourceSpans rs : pieces) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    out.add(SpanIds.toLong(s.getSpanId()));
                }
            }
        }
        return out;
    }
}
