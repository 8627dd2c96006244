package io.vivace.distributor;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;

/** Builders of OTLP test data. */
public final class TestSpans {
    /** A valid 16-byte trace ID. */
    public static final String TRACE_ID = "0102030405060708090a0b0c0d0e0f10";
    /** A valid 8-byte span ID. */
    public static final String SPAN_ID = "1112131415161718";

    private TestSpans() {}

    /** Bytes of a hex string. */
    public static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    /** A span with the given IDs (hex; empty for none). */
    public static Span span(String traceId, String spanId, String name) {
        return Span.newBuilder().setTraceId(bytes(traceId)).setSpanId(bytes(spanId)).setName(name)
                .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_100_000_000L)
                .build();
    }

    /** One resource of service {@code service} holding {@code spans}. */
    public static ResourceSpans resource(String service, Span... spans) {
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))
                .build();
    }

    /** A request holding {@code n} valid spans of one trace. */
    public static ExportTraceServiceRequest request(int n) {
        Span[] spans = new Span[n];
        for (int i = 0; i < n; i++) {
            spans[i] = span(TRACE_ID, String.format("%016x", i + 1), "span-" + i);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("svc", spans)).build();
    }
}
