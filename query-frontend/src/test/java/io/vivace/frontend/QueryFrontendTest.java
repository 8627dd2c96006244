package io.vivace.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.query.TraceLookup;
import io.vivace.common.query.TraceResult;
import io.vivace.model.TraceId;
import io.vivace.model.tempopb.PartialStatus;
import io.vivace.model.tempopb.Trace;
import io.vivace.model.tempopb.TraceByIDResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryFrontendTest {
    private static final TraceId ID = TraceId.parseHex("00000000000000000102030405060708");

    /** A lookup over a map: tenant → trace → pieces; the pieces of a trace may repeat a span. */
    private final Map<String, Map<TraceId, List<ResourceSpans>>> data = new ConcurrentHashMap<>();
    private final TraceLookup lookup = (tenant, id, start, end) -> {
        List<ResourceSpans> pieces = data.getOrDefault(tenant, Map.of()).get(id);
        return pieces == null ? TraceResult.empty() : new TraceResult(pieces, 123, 1);
    };
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop().join();
        }
    }

    private void start(boolean multitenancy, long maxBytesPerTrace) {
        Limits d = Limits.defaults();
        OverridesConfig overrides = new OverridesConfig(new Limits(d.ingestion(), new Limits.Global(maxBytesPerTrace)), Map.of());
        QueryFrontend fe = new QueryFrontend(QueryFrontendConfig.defaults(), overrides, multitenancy, lookup,
                (tenant, from, to, blocks, target) -> List.of(), new SimpleMeterRegistry());
        ServerBuilder sb = Server.builder().http(0);
        fe.bind(sb);
        server = sb.build();
        server.start().join();
    }

    private HttpResponse<byte[]> get(String path, String accept, String tenant) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.activeLocalPort() + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (tenant != null) {
            b.header("X-Scope-OrgID", tenant);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static ResourceSpans piece(String service, long... spanIds) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        for (long id : spanIds) {
            ss.addSpans(Span.newBuilder().setTraceId(ID.toByteString()).setSpanId(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(id).array()))
                    .setName("op-" + id).setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_100_000_000L));
        }
        return ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service)))).addScopeSpans(ss).build();
    }

    @Test
    void combinesPiecesAndAnswersEveryForm() throws Exception {
        start(false, 0);
        data.put("single-tenant", Map.of(ID, List.of(piece("a", 1, 2), piece("a", 2, 3), piece("b", 4))));

        HttpResponse<byte[]> v1 = get("/api/traces/0102030405060708", "application/protobuf", null);
        assertThat(v1.statusCode()).isEqualTo(200);
        assertThat(v1.headers().firstValue("content-type")).hasValue("application/protobuf");
        Trace t = Trace.parseFrom(v1.body());
        assertThat(t.getResourceSpansCount()).isEqualTo(2);
        assertThat(t.getResourceSpans(0).getScopeSpans(0).getSpansCount()).as("span 2 deduplicated").isEqualTo(3);

        HttpResponse<byte[]> v2 = get("/api/v2/traces/102030405060708", "application/protobuf", null);
        TraceByIDResponse r = TraceByIDResponse.parseFrom(v2.body());
        assertThat(r.getTrace()).isEqualTo(t);
        assertThat(r.getMetrics().getInspectedBytes()).isEqualTo(123);

        String json = new String(get("/api/traces/0102030405060708", null, null).body());
        assertThat(json).startsWith("{\"batches\":[").contains("\"spanId\":\"AAAAAAAAAAE=\"").contains("\"startTimeUnixNano\":\"1700000000000000000\"");
        String json2 = new String(get("/api/v2/traces/0102030405060708", "application/json", null).body());
        assertThat(json2).startsWith("{\"trace\":{\"resourceSpans\":[").contains("\"inspectedBytes\":\"123\"");
    }

    @Test
    void unknownIdsAre404AndBadInputIs400WithAMessage() throws Exception {
        start(false, 0);
        HttpResponse<byte[]> r = get("/api/traces/ff", null, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEmpty();
        assertThat(get("/api/v2/traces/ff", null, null).statusCode()).isEqualTo(404);

        r = get("/api/traces/zz12", null, null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body())).isEqualTo("trace IDs can only contain hex characters: invalid character 'z' at position 1\n");
        r = get("/api/traces/" + "1".repeat(33), null, null);
        assertThat(new String(r.body())).contains("can't be larger than 128 bits");
        r = get("/api/traces/01?start=10&end=5", null, null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body())).contains("http parameter start must be before end. received start=10 end=5");
        r = get("/api/traces/01?start=abc", null, null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body())).contains("start");
        r = get("/api/traces/01?mode=everything", null, null);
        assertThat(new String(r.body())).contains("invalid value for mode everything");
        assertThat(new String(get("/api/echo", null, null).body())).isEqualTo("echo\n");
    }

    @Test
    void tooLargeTracesAre422InV1AndPartialInV2() throws Exception {
        List<ResourceSpans> pieces = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pieces.add(piece("svc-" + i, 1000 + i));
        }
        data.put("single-tenant", Map.of(ID, pieces));
        start(false, 500);
        assertThat(get("/api/traces/0102030405060708", null, null).statusCode()).isEqualTo(422);
        TraceByIDResponse r = TraceByIDResponse.parseFrom(get("/api/v2/traces/0102030405060708", "application/protobuf", null).body());
        assertThat(r.getStatus()).isEqualTo(PartialStatus.PARTIAL);
        assertThat(r.getMessage()).contains("Trace exceeds maximum size of 500 bytes");
        assertThat(r.getTrace().getResourceSpansCount()).isBetween(1, 49);
    }

    @Test
    void multitenancyNeedsATenantAndFansOutOverSeveral() throws Exception {
        start(true, 0);
        data.put("a", Map.of(ID, List.of(piece("a", 1))));
        data.put("b", Map.of(ID, List.of(piece("b", 2))));
        HttpResponse<byte[]> r = get("/api/traces/0102030405060708", null, null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(new String(r.body())).isEqualTo("no org id\n");
        assertThat(get("/api/traces/0102030405060708", null, "c").statusCode()).isEqualTo(404);
        Trace one = Trace.parseFrom(get("/api/traces/0102030405060708", "application/protobuf", "a").body());
        assertThat(one.getResourceSpansCount()).isEqualTo(1);
        Trace both = Trace.parseFrom(get("/api/traces/0102030405060708", "application/protobuf", "a|b").body());
        assertThat(both.getResourceSpansCount()).isEqualTo(2);
        assertThat(get("/api/traces/0102030405060708", null, "bad/tenant").statusCode()).isEqualTo(400);
    }
}
