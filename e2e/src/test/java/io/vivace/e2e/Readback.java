package io.vivace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.tempopb.Trace;
import io.vivace.model.tempopb.TraceByIDResponse;
import java.net.http.HttpResponse;
import java.util.List;

/** Reads one trace through each of the four trace-by-ID forms and checks they agree. */
final class Readback {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Readback() {}

    /** Fetches {@code traceIdHex} as v1/v2 × protobuf/JSON; asserts all four hold the same spans; returns them. */
    static List<ResourceSpans> fetchAllForms(VivaceProcess v, String traceIdHex) throws Exception {
        HttpResponse<byte[]> v1p = v.get("/api/traces/" + traceIdHex, "application/protobuf");
        assertThat(v1p.statusCode()).as("v1 protobuf status for %s", traceIdHex).isEqualTo(200);
        assertThat(v1p.headers().firstValue("content-type")).hasValue("application/protobuf");
        Trace v1 = Trace.parseFrom(v1p.body());

        HttpResponse<byte[]> v2p = v.get("/api/v2/traces/" + traceIdHex, "application/protobuf");
        assertThat(v2p.statusCode()).isEqualTo(200);
        Trace v2 = TraceByIDResponse.parseFrom(v2p.body()).getTrace();

        HttpResponse<byte[]> v1j = v.get("/api/traces/" + traceIdHex, "application/json");
        assertThat(v1j.statusCode()).isEqualTo(200);
        JsonNode v1json = JSON.readTree(v1j.body());
        assertThat(v1json.has("batches")).as("v1 JSON uses 'batches'").isTrue();
        ObjectNode renamed = JSON.createObjectNode();
        renamed.set("resourceSpans", v1json.get("batches"));
        Trace.Builder v1jb = Trace.newBuilder();
        JsonFormat.parser().merge(JSON.writeValueAsString(renamed), v1jb);

        HttpResponse<byte[]> v2j = v.get("/api/v2/traces/" + traceIdHex, "");
        assertThat(v2j.statusCode()).isEqualTo(200);
        JsonNode v2json = JSON.readTree(v2j.body());
        assertThat(v2json.at("/trace/resourceSpans").isArray()).as("v2 JSON uses trace.resourceSpans").isTrue();
        Trace.Builder v2jb = Trace.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(JSON.writeValueAsString(v2json.get("trace")), v2jb);

        assertThat(Spans.bySpanId(v2.getResourceSpansList()).keySet())
                .isEqualTo(Spans.bySpanId(v1.getResourceSpansList()).keySet())
                .isEqualTo(Spans.bySpanId(v1jb.getResourceSpansList()).keySet())
                .isEqualTo(Spans.bySpanId(v2jb.getResourceSpansList()).keySet());
        assertThat(v1jb.build()).isEqualTo(v1);
        return v1.getResourceSpansList();
    }
}
