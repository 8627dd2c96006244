package io.vivace.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import io.vivace.model.tempopb.PartialStatus;
import io.vivace.model.tempopb.Trace;
import io.vivace.model.tempopb.TraceByIDMetrics;
import io.vivace.model.tempopb.TraceByIDResponse;
import org.junit.jupiter.api.Test;

class TempoJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final TraceId TRACE = TraceId.parseHex("000000000000000067360ce3b55285d3");
    private static final long SPAN = 0x676cc33d7b4b6263L;

    private static Span span() {
        return Span.newBuilder()
                .setTraceId(TRACE.toByteString())
                .setSpanId(SpanIds.toByteString(SPAN))
                .setName("GET /cart")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(1_700_000_000_000_000_000L)
                .setEndTimeUnixNano(1_700_000_000_250_000_000L)
                .addAttributes(KeyValue.newBuilder().setKey("http.status_code").setValue(AnyValue.newBuilder().setIntValue(200)))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
                .build();
    }

    private static Trace trace(Span... spans) {
        return Trace.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("shop"))))
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("otel-go"))
                                .addAllSpans(java.util.List.of(spans))))
                .build();
    }

    private static JsonNode tree(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    @Test
    void printsTheTraceLikeTempo() throws Exception {
        JsonNode root = tree(TempoJson.print(trace(span())));
        JsonNode span = root.at("/resourceSpans/0/scopeSpans/0/spans/0");

        assertThat(root.at("/resourceSpans/0/resource/attributes/0/value/stringValue").asText()).isEqualTo("shop");
        assertThat(root.at("/resourceSpans/0/scopeSpans/0/scope/name").asText()).isEqualTo("otel-go");
        // bytes as standard base64 (the example of the contract)
        assertThat(span.get("traceId").asText()).isEqualTo("AAAAAAAAAABnNgzjtVKF0w==");
        assertThat(span.get("spanId").asText()).isEqualTo("Z2zDPXtLYmM=");
        // enums by name
        assertThat(span.get("kind").asText()).isEqualTo("SPAN_KIND_SERVER");
        assertThat(span.at("/status/code").asText()).isEqualTo("STATUS_CODE_OK");
        // 64-bit integers as strings
        assertThat(span.get("startTimeUnixNano").isTextual()).isTrue();
        assertThat(span.get("startTimeUnixNano").asText()).isEqualTo("1700000000000000000");
        assertThat(span.get("endTimeUnixNano").asText()).isEqualTo("1700000000250000000");
        assertThat(span.at("/attributes/0/value/intValue").isTextual()).isTrue();
        assertThat(span.at("/attributes/0/value/intValue").asText()).isEqualTo("200");
    }

    @Test
    void omitsZeroValues() throws Exception {
        Span bare = Span.newBuilder().setTraceId(TRACE.toByteString()).setSpanId(SpanIds.toByteString(SPAN)).setName("n").build();
        JsonNode span = tree(TempoJson.print(trace(bare))).at("/resourceSpans/0/scopeSpans/0/spans/0");

        assertThat(span.has("parentSpanId")).isFalse();
        assertThat(span.has("kind")).isFalse();
        assertThat(span.has("status")).isFalse();
        assertThat(span.has("attributes")).isFalse();
        assertThat(span.has("startTimeUnixNano")).isFalse();
        assertThat(span.has("droppedAttributesCount")).isFalse();
        assertThat(TempoJson.print(Trace.getDefaultInstance())).isEqualTo("{}");
    }

    @Test
    void printsCompactJson() {
        assertThat(TempoJson.print(trace(span()))).doesNotContain("\n").doesNotContain(": ");
    }

    @Test
    void printsWrapperMessagesWithCamelNamesAndEnumNames() throws Exception {
        TraceByIDResponse response = TraceByIDResponse.newBuilder()
                .setTrace(trace(span()))
                .setMetrics(TraceByIDMetrics.newBuilder().setInspectedBytes(1234))
                .setStatus(PartialStatus.PARTIAL)
                .setMessage("Trace exceeds maximum size of 10 bytes, a partial trace is returned")
                .build();

        JsonNode root = tree(TempoJson.print(response));

        assertThat(root.at("/trace/resourceSpans").isArray()).isTrue();
        assertThat(root.has("batches")).isFalse();
        assertThat(root.at("/metrics/inspectedBytes").isTextual()).isTrue();
        assertThat(root.at("/metrics/inspectedBytes").asText()).isEqualTo("1234");
        assertThat(root.get("status").asText()).isEqualTo("PARTIAL");

        JsonNode complete = tree(TempoJson.print(response.toBuilder().setStatus(PartialStatus.COMPLETE).clearMessage().build()));
        assertThat(complete.has("status")).isFalse();
        assertThat(complete.has("message")).isFalse();
    }

    @Test
    void traceV1RenamesTopLevelResourceSpansToBatches() throws Exception {
        JsonNode root = tree(TempoJson.traceV1(trace(span())));

        assertThat(root.has("batches")).isTrue();
        assertThat(root.has("resourceSpans")).isFalse();
        assertThat(root.at("/batches/0/scopeSpans/0/spans/0/spanId").asText()).isEqualTo("Z2zDPXtLYmM=");
        assertThat(root.at("/batches/0/scopeSpans/0/spans/0/kind").asText()).isEqualTo("SPAN_KIND_SERVER");
    }

    @Test
    void traceV1RenamesOnlyTheTopLevelKey() throws Exception {
        // The literal text "resourceSpans" inside attribute keys and values must survive.
        Span tricky = span().toBuilder()
                .setName("\"resourceSpans\"")
                .addAttributes(KeyValue.newBuilder().setKey("resourceSpans").setValue(AnyValue.newBuilder().setStringValue("resourceSpans")))
                .build();
        Trace t = trace(tricky).toBuilder().addResourceSpans(trace(span()).getResourceSpans(0)).build();

        JsonNode root = tree(TempoJson.traceV1(t));

        assertThat(root.get("batches").size()).isEqualTo(2);
        JsonNode span = root.at("/batches/0/scopeSpans/0/spans/0");
        assertThat(span.get("name").asText()).isEqualTo("\"resourceSpans\"");
        assertThat(span.at("/attributes/1/key").asText()).isEqualTo("resourceSpans");
        assertThat(span.at("/attributes/1/value/stringValue").asText()).isEqualTo("resourceSpans");
    }

    @Test
    void traceV1OfEmptyTraceIsEmptyObject() throws Exception {
        JsonNode root = tree(TempoJson.traceV1(Trace.getDefaultInstance()));

        assertThat(root.isObject()).isTrue();
        assertThat(root.size()).isZero();
    }

    @Test
    void printedTraceParsesBackWithProtobufJson() throws Exception {
        Trace t = trace(span());
        Trace.Builder back = Trace.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(TempoJson.print(t), back);

        assertThat(back.build()).isEqualTo(t);
    }
}
