package io.vivace.traceql.engine;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import java.util.ArrayList;
import java.util.List;

/** Small hand-built traces for unit tests: one service, spans given in start order. */
final class Spans {
    static final TraceId TRACE = new TraceId(0x0123_4567_89ab_cdefL, 0x1L);
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MS = 1_000_000L;

    private final List<Span> spans = new ArrayList<>();

    /** Adds a span with ID {@code n + 1}, starting n ms after T0, lasting 1 ms, child of span {@code parent} (−1 = root). */
    Spans span(int parent, KeyValue... attributes) {
        return span(parent, Span.newBuilder().addAllAttributes(List.of(attributes)));
    }

    /** Adds a span built by the caller (IDs and times are set here). */
    Spans span(int parent, Span.Builder b) {
        int n = spans.size();
        b.setTraceId(TRACE.toByteString()).setSpanId(SpanIds.toByteString(n + 1))
                .setStartTimeUnixNano(T0 + n * MS).setEndTimeUnixNano(T0 + n * MS + MS);
        if (b.getName().isEmpty()) {
            b.setName("s" + n);
        }
        if (parent >= 0) {
            b.setParentSpanId(SpanIds.toByteString(parent + 1));
        }
        spans.add(b.build());
        return this;
    }

    EvalTrace trace() {
        ResourceSpans rs = ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "svc")))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
                .build();
        return EvalTrace.of(TRACE, List.of(rs));
    }

    static KeyValue kv(String key, AnyValue v) {
        return KeyValue.newBuilder().setKey(key).setValue(v).build();
    }

    static KeyValue str(String key, String v) {
        return kv(key, AnyValue.newBuilder().setStringValue(v).build());
    }

    static KeyValue integer(String key, long v) {
        return kv(key, AnyValue.newBuilder().setIntValue(v).build());
    }

    static KeyValue dbl(String key, double v) {
        return kv(key, AnyValue.newBuilder().setDoubleValue(v).build());
    }

    static KeyValue bool(String key, boolean v) {
        return kv(key, AnyValue.newBuilder().setBoolValue(v).build());
    }

    static KeyValue bytes(String key) {
        return kv(key, AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1})).build());
    }

    static KeyValue kvlist(String key) {
        return kv(key, AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(integer("a", 1))).build());
    }

    static KeyValue array(String key, AnyValue... values) {
        return kv(key, AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(values))).build());
    }

    static AnyValue s(String v) {
        return AnyValue.newBuilder().setStringValue(v).build();
    }

    static AnyValue i(long v) {
        return AnyValue.newBuilder().setIntValue(v).build();
    }

    static AnyValue d(double v) {
        return AnyValue.newBuilder().setDoubleValue(v).build();
    }
}
