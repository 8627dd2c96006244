package io.vivace.distributor.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ZipkinToOtlpTest {

    private static List<ResourceSpans> translate(String json) {
        return ZipkinToOtlp.translate(ZipkinJson.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static Span only(List<ResourceSpans> rs) {
        assertThat(rs).hasSize(1);
        assertThat(rs.get(0).getScopeSpansList()).hasSize(1);
        assertThat(rs.get(0).getScopeSpans(0).getSpansList()).hasSize(1);
        return rs.get(0).getScopeSpans(0).getSpans(0);
    }

    private static Map<String, AnyValue> attributes(List<KeyValue> kvs) {
        return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> b, LinkedHashMap::new));
    }

    private static String hex(com.google.protobuf.ByteString b) {
        return HexFormat.of().formatHex(b.toByteArray());
    }

    @Test
    void translatesAClientSpan() {
        Span s = only(translate("""
                [{"traceId":"463ac35c9f6413ad48485a3953bb6124","id":"a2fb4a1d1a96d312","parentId":"0020000000000001",
                  "name":"get /api","kind":"CLIENT","timestamp":1556604172355737,"duration":1431,
                  "localEndpoint":{"serviceName":"frontend","ipv4":"192.168.99.1","port":3306},
                  "remoteEndpoint":{"serviceName":"backend","ipv4":"172.19.0.2","port":58648},
                  "tags":{"http.method":"GET","http.path":"/api"}}]
                """));
        assertThat(hex(s.getTraceId())).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
        assertThat(hex(s.getSpanId())).isEqualTo("a2fb4a1d1a96d312");
        assertThat(hex(s.getParentSpanId())).isEqualTo("0020000000000001");
        assertThat(s.getName()).isEqualTo("get /api");
        assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(s.getStartTimeUnixNano()).isEqualTo(1556604172355737000L);
        assertThat(s.getEndTimeUnixNano()).isEqualTo(1556604172355737000L + 1_431_000L);
        Map<String, AnyValue> a = attributes(s.getAttributesList());
        assertThat(a.get("http.method").getStringValue()).isEqualTo("GET");
        assertThat(a.get("http.path").getStringValue()).isEqualTo("/api");
        assertThat(a.get("net.host.ip").getStringValue()).isEqualTo("192.168.99.1");
        assertThat(a.get("net.host.port").getIntValue()).isEqualTo(3306);
        assertThat(a.get("peer.service").getStringValue()).isEqualTo("backend");
        assertThat(a.get("net.peer.ip").getStringValue()).isEqualTo("172.19.0.2");
        assertThat(a.get("net.peer.port").getIntValue()).isEqualTo(58648);
        assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    }

    @Test
    void widens64BitTraceIdsByLeftPadding() {
        Span s = only(translate("[{\"traceId\":\"48485a3953bb6124\",\"id\":\"1\"}]"));
        assertThat(hex(s.getTraceId())).isEqualTo("000000000000000048485a3953bb6124");
        assertThat(hex(s.getSpanId())).isEqualTo("0000000000000001");
        assertThat(s.getTraceId().size()).isEqualTo(16);
        assertThat(s.getParentSpanId().isEmpty()).isTrue();
    }

    @Test
    void mapsKinds() {
        String json = """
                [{"traceId":"1","id":"1","kind":"SERVER"},{"traceId":"1","id":"2","kind":"PRODUCER"},
                 {"traceId":"1","id":"3","kind":"CONSUMER"},{"traceId":"1","id":"4"},
                 {"traceId":"1","id":"5","tags":{"span.kind":"internal"}}]
                """;
        List<Span> spans = translate(json).get(0).getScopeSpans(0).getSpansList();
        assertThat(spans).extracting(Span::getKind).containsExactly(
                Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_PRODUCER, Span.SpanKind.SPAN_KIND_CONSUMER,
                Span.SpanKind.SPAN_KIND_UNSPECIFIED, Span.SpanKind.SPAN_KIND_INTERNAL);
        assertThat(spans.get(4).getAttributesList()).extracting(KeyValue::getKey).doesNotContain("span.kind");
    }

    @Test
    void errorTagSetsTheStatus() {
        Span withMessage = only(translate("[{\"traceId\":\"1\",\"id\":\"1\",\"tags\":{\"error\":\"connection refused\"}}]"));
        assertThat(withMessage.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(withMessage.getStatus().getMessage()).isEqualTo("connection refused");
        assertThat(withMessage.getAttributesList()).extracting(KeyValue::getKey).doesNotContain("error");

        Span flag = only(translate("[{\"traceId\":\"1\",\"id\":\"1\",\"tags\":{\"error\":\"true\"}}]"));
        assertThat(flag.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(flag.getStatus().getMessage()).isEmpty();

        Span notAnError = only(translate("[{\"traceId\":\"1\",\"id\":\"1\",\"tags\":{\"error\":\"false\"}}]"));
        assertThat(notAnError.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);

        Span otel = only(translate("""
                [{"traceId":"1","id":"1","tags":{"otel.status_code":"ERROR","otel.status_description":"bad thing"}}]
                """));
        assertThat(otel.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(otel.getStatus().getMessage()).isEqualTo("bad thing");
        assertThat(otel.getAttributesCount()).isEqualTo(1); // only the absent-start-time marker

        Span ok = only(translate("[{\"traceId\":\"1\",\"id\":\"1\",\"tags\":{\"otel.status_code\":\"STATUS_CODE_OK\"}}]"));
        assertThat(ok.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
    }

    @Test
    void annotationsBecomeEvents() {
        Span s = only(translate("""
                [{"traceId":"1","id":"1","timestamp":10,"annotations":[{"timestamp":11,"value":"ws|recv"},
                  {"timestamp":12,"value":"retry|{\\"attempt\\":2,\\"why\\":\\"timeout\\"}|1"}]}]
                """));
        assertThat(s.getEventsList()).hasSize(2);
        assertThat(s.getEvents(0).getName()).isEqualTo("ws|recv");
        assertThat(s.getEvents(0).getTimeUnixNano()).isEqualTo(11_000L);
        assertThat(s.getEvents(1).getName()).isEqualTo("retry");
        assertThat(s.getEvents(1).getTimeUnixNano()).isEqualTo(12_000L);
        assertThat(attributes(s.getEvents(1).getAttributesList()).get("attempt").getIntValue()).isEqualTo(2);
        assertThat(attributes(s.getEvents(1).getAttributesList()).get("why").getStringValue()).isEqualTo("timeout");
        assertThat(s.getEvents(1).getDroppedAttributesCount()).isEqualTo(1);
    }

    @Test
    void absentTimestampIsMarkedAsInTheCollector() {
        Span s = only(translate("[{\"traceId\":\"1\",\"id\":\"1\",\"duration\":5}]"));
        assertThat(s.getStartTimeUnixNano()).isZero();
        assertThat(s.getEndTimeUnixNano()).isEqualTo(5_000L);
        assertThat(attributes(s.getAttributesList()).get(ZipkinToOtlp.START_TIME_ABSENT).getBoolValue()).isTrue();
    }

    @Test
    void groupsSpansByServiceAndMovesResourceTags() {
        List<ResourceSpans> rs = translate("""
                [{"traceId":"1","id":"1","localEndpoint":{"serviceName":"a"},"tags":{"host.name":"h1","k":"v"}},
                 {"traceId":"1","id":"2","localEndpoint":{"serviceName":"b"}},
                 {"traceId":"1","id":"3","localEndpoint":{"serviceName":"a"},"tags":{"host.name":"h1"}},
                 {"traceId":"1","id":"4","tags":{"otel.library.name":"lib","otel.library.version":"1.0"},
                  "localEndpoint":{"serviceName":"a"}},
                 {"traceId":"1","id":"5"}]
                """);
        assertThat(rs).hasSize(4);
        ResourceSpans a = rs.get(0);
        assertThat(attributes(a.getResource().getAttributesList())).containsOnlyKeys("service.name", "host.name");
        assertThat(a.getScopeSpans(0).getSpansList()).extracting(s -> hex(s.getSpanId()))
                .containsExactly("0000000000000001", "0000000000000003");
        assertThat(attributes(a.getScopeSpans(0).getSpans(0).getAttributesList())).containsKey("k").doesNotContainKey("host.name");
        assertThat(attributes(rs.get(1).getResource().getAttributesList()).get("service.name").getStringValue()).isEqualTo("b");
        ResourceSpans aWithoutHost = rs.get(2);
        assertThat(attributes(aWithoutHost.getResource().getAttributesList())).containsOnlyKeys("service.name");
        assertThat(aWithoutHost.getScopeSpans(0).getScope().getName()).isEqualTo("lib");
        assertThat(aWithoutHost.getScopeSpans(0).getScope().getVersion()).isEqualTo("1.0");
        assertThat(rs.get(3).getResource().getAttributesList()).isEmpty();
    }

    @Test
    void parentEqualToSelfOrZeroIsNoParent() {
        assertThat(only(translate("[{\"traceId\":\"1\",\"id\":\"5\",\"parentId\":\"5\"}]")).getParentSpanId().isEmpty()).isTrue();
        assertThat(only(translate("[{\"traceId\":\"1\",\"id\":\"5\",\"parentId\":\"0000000000000000\"}]"))
                .getParentSpanId().isEmpty()).isTrue();
    }

    @Test
    void keepsTraceState() {
        Span s = only(translate("[{\"traceId\":\"1\",\"id\":\"1\",\"tags\":{\"w3c.tracestate\":\"k=v\"}}]"));
        assertThat(s.getTraceState()).isEqualTo("k=v");
    }

    @Test
    void rejectsTimesOutOfRange() {
        assertThatThrownBy(() -> translate("[{\"traceId\":\"1\",\"id\":\"1\",\"timestamp\":-5}]"))
                .hasMessage("span[0].timestamp: -5 (expected: >= 0 microseconds)");
        assertThatThrownBy(() -> translate("[{\"traceId\":\"1\",\"id\":\"1\",\"timestamp\":9223372036854776}]"))
                .hasMessageContaining("after the year 2262");
    }
}
