package io.vivace.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpJsonTest {
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN = "eee19b7ec3c1b174";
    private static final String PARENT = "eee19b7ec3c1b173";
    private static final String LINK_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String LINK_SPAN = "b7ad6b7169203331";

    /** The example of the OTLP specification, plus a link, events and every value type. */
    private static final String FULL = """
            {"resourceSpans":[{
              "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},
              "scopeSpans":[{
                "scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute","value":{"stringValue":"some scope attribute"}}]},
                "spans":[{
                  "traceId":"%s","spanId":"%s","parentSpanId":"%s",
                  "name":"I'm a server span","startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
                  "kind":2,
                  "attributes":[
                    {"key":"my.span.attr","value":{"stringValue":"some value"}},
                    {"key":"int.as.string","value":{"intValue":"9007199254740993"}},
                    {"key":"int.as.number","value":{"intValue":42}},
                    {"key":"dbl","value":{"doubleValue":1.5}},
                    {"key":"flag","value":{"boolValue":true}},
                    {"key":"raw","value":{"bytesValue":"AQID"}},
                    {"key":"list","value":{"arrayValue":{"values":[{"stringValue":"x"},{"intValue":"1"}]}}}
                  ],
                  "events":[{"timeUnixNano":"1544712660500000000","name":"ev"}],
                  "links":[{"traceId":"%s","spanId":"%s","attributes":[{"key":"l","value":{"stringValue":"v"}}]}],
                  "status":{"code":2,"message":"boom"}
                }]
              }]
            }]}
            """.formatted(TRACE, SPAN, PARENT, LINK_TRACE, LINK_SPAN);

    private static ExportTraceServiceRequest parse(String json) {
        return OtlpJson.parseRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Span onlySpan(ExportTraceServiceRequest r) {
        assertThat(r.getResourceSpansCount()).isEqualTo(1);
        assertThat(r.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
        assertThat(r.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(1);
        return r.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    private static String spanJson(String fields) {
        return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{" + fields + "}]}]}]}";
    }

    @Test
    void parsesHexIdsToRawBytes() {
        Span span = onlySpan(parse(FULL));

        assertThat(span.getTraceId().toByteArray()).isEqualTo(HexFormat.of().parseHex(TRACE));
        assertThat(TraceId.fromByteString(span.getTraceId()).toHex()).isEqualTo(TRACE);
        assertThat(SpanIds.toHex(SpanIds.toLong(span.getSpanId()))).isEqualTo(SPAN);
        assertThat(span.getParentSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(PARENT));
        assertThat(span.getLinksCount()).isEqualTo(1);
        assertThat(span.getLinks(0).getTraceId().toByteArray()).isEqualTo(HexFormat.of().parseHex(LINK_TRACE));
        assertThat(span.getLinks(0).getSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(LINK_SPAN));
        assertThat(span.getLinks(0).getAttributes(0).getValue().getStringValue()).isEqualTo("v");
    }

    @Test
    void acceptsUppercaseHexIds() {
        Span span = onlySpan(parse(spanJson("\"traceId\":\"" + TRACE.toUpperCase() + "\",\"spanId\":\"EEE19B7EC3C1B174\"")));

        assertThat(span.getTraceId().toByteArray()).isEqualTo(HexFormat.of().parseHex(TRACE));
        assertThat(span.getSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(SPAN));
    }

    @Test
    void parsesEverythingElseAsProtobufJson() {
        ExportTraceServiceRequest r = parse(FULL);
        Span span = onlySpan(r);

        assertThat(r.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("my.service");
        assertThat(r.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("my.library");
        assertThat(r.getResourceSpans(0).getScopeSpans(0).getScope().getVersion()).isEqualTo("1.0.0");
        assertThat(span.getName()).isEqualTo("I'm a server span");
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(span.getStatus().getMessage()).isEqualTo("boom");
        assertThat(span.getEvents(0).getName()).isEqualTo("ev");
        assertThat(span.getEvents(0).getTimeUnixNano()).isEqualTo(1544712660500000000L);
        assertThat(span.getAttributesList()).hasSize(7);
        assertThat(span.getAttributes(3).getValue().getDoubleValue()).isEqualTo(1.5);
        assertThat(span.getAttributes(4).getValue().getBoolValue()).isTrue();
        // bytesValue inside attributes stays base64: only IDs are hex in OTLP/JSON.
        assertThat(span.getAttributes(5).getValue().getBytesValue().toByteArray()).containsExactly(1, 2, 3);
        AnyValue list = span.getAttributes(6).getValue();
        assertThat(list.getArrayValue().getValuesList()).extracting(AnyValue::getStringValue).containsExactly("x", "");
        assertThat(list.getArrayValue().getValues(1).getIntValue()).isEqualTo(1);
    }

    @Test
    void acceptsSixtyFourBitIntegersAsStringsAndNumbers() {
        Span span = onlySpan(parse(FULL));

        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
        // Above 2^53: must not go through a double.
        assertThat(span.getAttributes(1).getValue().getIntValue()).isEqualTo(9007199254740993L);
        assertThat(span.getAttributes(2).getValue().getIntValue()).isEqualTo(42L);
    }

    @Test
    void keepsLargeNumericNanosExact() {
        // Unsigned fixed64 near the top of the range, written as a JSON number.
        Span span = onlySpan(parse(spanJson("\"startTimeUnixNano\":18446744073709551615,\"endTimeUnixNano\":9007199254740993")));

        assertThat(Long.toUnsignedString(span.getStartTimeUnixNano())).isEqualTo("18446744073709551615");
        assertThat(span.getEndTimeUnixNano()).isEqualTo(9007199254740993L);
    }

    @Test
    void acceptsEnumsAsIntegersAndNames() {
        Span byInt = onlySpan(parse(spanJson("\"kind\":3,\"status\":{\"code\":1}")));
        Span byName = onlySpan(parse(spanJson("\"kind\":\"SPAN_KIND_CLIENT\",\"status\":{\"code\":\"STATUS_CODE_OK\"}")));

        assertThat(byInt.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(byName.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(byInt.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
        assertThat(byName.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
    }

    @Test
    void ignoresUnknownFieldsAtEveryLevel() {
        String json = """
                {"resourceSpans":[{"futureField":{"a":[1,2]},"scopeSpans":[{"extra":1,"spans":[{
                  "traceId":"%s","spanId":"%s","name":"n","someNewThing":"x","links":[{"traceId":"%s","spanId":"%s","what":true}]
                }]}]}],"topLevelUnknown":"ignored"}
                """.formatted(TRACE, SPAN, LINK_TRACE, LINK_SPAN);

        Span span = onlySpan(parse(json));

        assertThat(span.getName()).isEqualTo("n");
        assertThat(span.getLinks(0).getSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(LINK_SPAN));
    }

    @Test
    void acceptsSnakeCaseFieldNames() {
        String json = """
                {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"svc"}}]},
                  "scope_spans":[{"scope":{"name":"lib"},"spans":[{
                    "trace_id":"%s","span_id":"%s","parent_span_id":"%s","name":"snake",
                    "start_time_unix_nano":"1544712660000000000","kind":"SPAN_KIND_PRODUCER",
                    "links":[{"trace_id":"%s","span_id":"%s"}]
                }]}]}]}
                """.formatted(TRACE, SPAN, PARENT, LINK_TRACE, LINK_SPAN);

        ExportTraceServiceRequest r = parse(json);
        Span span = onlySpan(r);

        assertThat(r.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("svc");
        assertThat(span.getName()).isEqualTo("snake");
        assertThat(span.getTraceId().toByteArray()).isEqualTo(HexFormat.of().parseHex(TRACE));
        assertThat(span.getSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(SPAN));
        assertThat(span.getParentSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(PARENT));
        assertThat(span.getLinks(0).getTraceId().toByteArray()).isEqualTo(HexFormat.of().parseHex(LINK_TRACE));
        assertThat(span.getLinks(0).getSpanId().toByteArray()).isEqualTo(HexFormat.of().parseHex(LINK_SPAN));
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
    }

    @Test
    void emptyAndAbsentIdsAreEmptyBytes() {
        Span span = onlySpan(parse(spanJson("\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\",\"parentSpanId\":\"\"")));
        Span noParent = onlySpan(parse(spanJson("\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\",\"parentSpanId\":null")));

        assertThat(span.getParentSpanId().isEmpty()).isTrue();
        assertThat(noParent.getParentSpanId().isEmpty()).isTrue();
    }

    @Test
    void keepsIdsOfShortOrLongLengthsForTheValidatorToJudge() {
        // Length rules (16/8 bytes) belong to ingest validation, which answers with Tempo's messages.
        Span span = onlySpan(parse(spanJson("\"traceId\":\"67360ce3b55285d3\",\"spanId\":\"00\"")));

        assertThat(span.getTraceId().size()).isEqualTo(8);
        assertThat(span.getSpanId().size()).isEqualTo(1);
    }

    @Test
    void emptyRequestsParse() {
        assertThat(parse("{}").getResourceSpansCount()).isZero();
        assertThat(parse("{\"resourceSpans\":[]}").getResourceSpansCount()).isZero();
        assertThat(parse("{\"resourceSpans\":[{}]}").getResourceSpansCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"resourceSpans\":[", "not json", "{\"resourceSpans\":[]}}", "{} {}", "{}x"})
    void rejectsMalformedJson(String body) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"resourceSpans\"", "42", "null"})
    void rejectsJsonThatIsNotAnObject(String body) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected an object");
    }

    @Test
    void rejectsNonHexTraceIdNamingTheField() {
        assertThatThrownBy(() -> parse(spanJson("\"traceId\":\"5b8efff798038103d269b633813fc6zz\",\"spanId\":\"" + SPAN + "\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("traceId")
                .hasMessageContaining("not hex")
                .hasMessageContaining("5b8efff798038103d269b633813fc6zz");
    }

    @Test
    void rejectsBase64IdsAsNotHex() {
        // A client sending protobuf-JSON base64 instead of OTLP hex gets a clear error, not garbage IDs.
        assertThatThrownBy(() -> parse(spanJson("\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("traceId is not hex");
    }

    @Test
    void rejectsOddLengthHexNamingTheField() {
        assertThatThrownBy(() -> parse(spanJson("\"spanId\":\"abc\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spanId is not hex");
    }

    @Test
    void rejectsBadIdsInParentAndLinksAndSnakeCaseFields() {
        assertThatThrownBy(() -> parse(spanJson("\"parentSpanId\":\"xyz!\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parentSpanId");
        assertThatThrownBy(() -> parse(spanJson("\"links\":[{\"traceId\":\"" + TRACE + "\",\"spanId\":\"nothex!!\"}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spanId");
        assertThatThrownBy(() -> parse(spanJson("\"trace_id\":\"q\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trace_id");
    }

    @Test
    void rejectsIdsThatAreNotStrings() {
        assertThatThrownBy(() -> parse(spanJson("\"traceId\":12345")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("traceId must be a hex string");
    }

    @Test
    void abbreviatesVeryLongBadIds() {
        String longBad = "z".repeat(10_000);
        assertThatThrownBy(() -> parse(spanJson("\"traceId\":\"" + longBad + "\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void rejectsWrongTypesWithInvalidOtlpJson() {
        assertThatThrownBy(() -> parse(spanJson("\"startTimeUnixNano\":\"soon\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid OTLP/JSON");
        assertThatThrownBy(() -> parse("{\"resourceSpans\":{}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid OTLP/JSON");
    }
}
