package io.vivace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.tempopb.Trace;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets the right 4xx with a message; the server keeps serving and loses nothing. */
class BadInputIT {
    @TempDir
    Path dir;

    @Test
    void badRequestsAreRefusedWithAMessageAndNothingIsLost() throws Exception {
        try (VivaceProcess v = new VivaceProcess(dir.resolve("single"), Map.of()).start()) {
            Otlp.Built good = Otlp.request(new Random(1), 3, 4);
            assertThat(postOtlp(v, "application/x-protobuf", good.request().toByteArray(), Map.of()).statusCode()).isEqualTo(200);

            HttpResponse<String> r = postOtlp(v, "application/x-protobuf", "definitely not protobuf".getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isNotBlank();

            byte[] gz = gzip(good.request().toByteArray());
            r = postOtlp(v, "application/x-protobuf", Arrays.copyOf(gz, gz.length / 2), Map.of("Content-Encoding", "gzip"));
            assertThat(r.statusCode()).isEqualTo(400);

            r = postOtlp(v, "text/plain", good.request().toByteArray(), Map.of());
            assertThat(r.statusCode()).isEqualTo(415);

            r = postOtlp(v, "application/json", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).containsIgnoringCase("json");

            ExportTraceServiceRequest shortId = good.request().toBuilder().setResourceSpans(0, shortenTraceId(good.request().getResourceSpans(0))).build();
            r = postOtlp(v, "application/x-protobuf", shortId.toByteArray(), Map.of());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("trace ids must be 128 bit");

            // 64 MiB of zeros gzip to ~64 KiB: the limit applies to the decompressed body, so this is refused
            // without the server holding 64 MiB (and the small request body lets the client read the answer).
            r = postOtlp(v, "application/x-protobuf", gzip(new byte[64 * 1024 * 1024]), Map.of("Content-Encoding", "gzip"));
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).isNotBlank();

            r = v.post(v.zipkinPort, "/api/v2/spans", "application/json", "[{\"traceId\": 12".getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isNotBlank();

            HttpResponse<String> q = v.get("/api/traces/not-a-trace-id");
            assertThat(q.statusCode()).isEqualTo(400);
            assertThat(q.body()).contains("hex characters");
            q = v.get("/api/traces/" + "a".repeat(33));
            assertThat(q.statusCode()).isEqualTo(400);
            assertThat(q.body()).contains("128 bits");
            q = v.get("/api/v2/traces/" + good.traceIds()[0] + "?start=200&end=100");
            assertThat(q.statusCode()).isEqualTo(400);
            assertThat(q.body()).contains("start must be before end");

            // Still serving, nothing lost: the first batch is all there and a new one is accepted.
            for (String id : good.traceIds()) {
                HttpResponse<byte[]> t = v.get("/api/traces/" + id, "application/protobuf");
                assertThat(t.statusCode()).isEqualTo(200);
                assertThat(Spans.bySpanId(Trace.parseFrom(t.body()).getResourceSpansList())).hasSize(4);
            }
            assertThat(postOtlp(v, "application/x-protobuf", Otlp.request(new Random(2), 1, 1).request().toByteArray(), Map.of())
                    .statusCode()).isEqualTo(200);
            assertThat(v.get("/metrics").body()).contains("vivace_discarded_spans_total");
        }
    }

    @Test
    void multitenancyRequiresAndSeparatesTenants() throws Exception {
        try (VivaceProcess v = new VivaceProcess(dir.resolve("multi"), Map.of("multitenancy_enabled", "true")).start()) {
            Otlp.Built batch = Otlp.request(new Random(3), 1, 2);
            HttpResponse<String> r = postOtlp(v, "application/x-protobuf", batch.request().toByteArray(), Map.of());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("no org id");

            r = postOtlp(v, "application/x-protobuf", batch.request().toByteArray(), Map.of("X-Scope-OrgID", "team-a"));
            assertThat(r.statusCode()).isEqualTo(200);

            String id = batch.traceIds()[0];
            assertThat(v.get("/api/traces/" + id).statusCode()).isEqualTo(401);
            assertThat(get(v, id, "team-b")).isEqualTo(404);
            assertThat(get(v, id, "team-a")).isEqualTo(200);
            assertThat(get(v, id, "team-b|team-a")).isEqualTo(200);
            assertThat(v.get("/api/echo").statusCode()).isEqualTo(200);
        }
    }

    private static int get(VivaceProcess v, String id, String tenant) throws Exception {
        java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
        return c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + v.httpPort + "/api/traces/" + id))
                .header("X-Scope-OrgID", tenant).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static ResourceSpans shortenTraceId(ResourceSpans rs) {
        ResourceSpans.Builder b = rs.toBuilder();
        b.getScopeSpansBuilder(0).getSpansBuilder(0).setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        return b.build();
    }

    private static HttpResponse<String> postOtlp(VivaceProcess v, String contentType, byte[] body, Map<String, String> headers)
            throws Exception {
        return v.post(v.otlpHttpPort, "/v1/traces", contentType, body, headers);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(data);
        }
        return out.toByteArray();
    }
}
