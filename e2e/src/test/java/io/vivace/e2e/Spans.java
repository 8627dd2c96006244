package io.vivace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Compares what the OpenTelemetry SDK exported with what Vivace returns, span by span. */
final class Spans {
    private Spans() {}

    /** A returned span with the resource it came with. */
    record Returned(Span span, Map<String, Object> resource, String scopeName) {}

    static Map<String, Returned> bySpanId(List<ResourceSpans> trace) {
        Map<String, Returned> out = new HashMap<>();
        for (ResourceSpans rs : trace) {
            Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    Returned prev = out.put(hex(s.getSpanId()), new Returned(s, resource, ss.getScope().getName()));
                    assertThat(prev).as("span %s returned twice", hex(s.getSpanId())).isNull();
                }
            }
        }
        return out;
    }

    static void assertSameSpans(List<SpanData> expected, List<ResourceSpans> actualTrace) {
        Map<String, Returned> actual = bySpanId(actualTrace);
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(
                expected.stream().map(SpanData::getSpanId).collect(Collectors.toList()));
        for (SpanData e : expected) {
            Returned r = actual.get(e.getSpanId());
            Span a = r.span();
            assertThat(hex(a.getTraceId())).isEqualTo(e.getTraceId());
            assertThat(a.getName()).isEqualTo(e.getName());
            assertThat(a.getStartTimeUnixNano()).isEqualTo(e.getStartEpochNanos());
            assertThat(a.getEndTimeUnixNano()).isEqualTo(e.getEndEpochNanos());
            assertThat(a.getKindValue()).isEqualTo(e.getKind().ordinal() + 1);
            if (e.getParentSpanContext().isValid()) {
                assertThat(hex(a.getParentSpanId())).isEqualTo(e.getParentSpanId());
            } else {
                assertThat(a.getParentSpanId()).isEmpty();
            }
            assertThat(attributes(a.getAttributesList())).isEqualTo(sdkAttributes(e.getAttributes()));
            assertThat(r.resource()).isEqualTo(sdkAttributes(e.getResource().getAttributes()));
            assertThat(r.scopeName()).isEqualTo(e.getInstrumentationScopeInfo().getName());
            assertThat(a.getEventsCount()).isEqualTo(e.getEvents().size());
            for (int i = 0; i < e.getEvents().size(); i++) {
                assertThat(a.getEvents(i).getName()).isEqualTo(e.getEvents().get(i).getName());
                assertThat(a.getEvents(i).getTimeUnixNano()).isEqualTo(e.getEvents().get(i).getEpochNanos());
                assertThat(attributes(a.getEvents(i).getAttributesList()))
                        .isEqualTo(sdkAttributes(e.getEvents().get(i).getAttributes()));
            }
            assertThat(a.getLinksCount()).isEqualTo(e.getLinks().size());
            for (int i = 0; i < e.getLinks().size(); i++) {
                assertThat(hex(a.getLinks(i).getTraceId())).isEqualTo(e.getLinks().get(i).getSpanContext().getTraceId());
                assertThat(hex(a.getLinks(i).getSpanId())).isEqualTo(e.getLinks().get(i).getSpanContext().getSpanId());
            }
            assertThat(a.getStatus().getCodeValue()).isEqualTo(switch (e.getStatus().getStatusCode()) {
                case UNSET -> 0;
                case OK -> 1;
                case ERROR -> 2;
            });
            assertThat(a.getStatus().getMessage()).isEqualTo(e.getStatus().getDescription());
        }
    }

    static Map<String, Object> sdkAttributes(io.opentelemetry.api.common.Attributes attrs) {
        Map<String, Object> out = new HashMap<>();
        attrs.forEach((AttributeKey<?> k, Object v) -> out.put(k.getKey(), v instanceof Integer i ? (long) i : v));
        return out;
    }

    static Map<String, Object> attributes(List<KeyValue> kvs) {
        Map<String, Object> out = new HashMap<>();
        for (KeyValue kv : kvs) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(Spans::value).collect(Collectors.toList());
            case BYTES_VALUE -> v.getBytesValue();
            case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
            default -> null;
        };
    }

    static String hex(ByteString b) {
        return HexFormat.of().formatHex(b.toByteArray());
    }
}
