package io.vivace.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vivace.model.tempopb.SearchRequest;
import io.vivace.model.tempopb.SearchResponse;
import io.vivace.model.tempopb.StreamingQuerierGrpc;
import io.vivace.model.tempopb.TraceSearchMetadata;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-service dataset sent with the real OpenTelemetry SDK, searched the way Grafana searches:
 * {@code /api/search} with TraceQL, tag names and values (v1 and v2), and the streaming gRPC {@code
 * Search} on the HTTP port over h2c — first while the traces are live in the ingester, then once
 * they are cut into blocks.
 */
class SearchIT {
    private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRACES = 30;

    @TempDir
    Path dir;

    /** What the generator decided per trace (trace IDs as Tempo prints them: hex, leading zeros trimmed). */
    private final Set<String> all = new TreeSet<>();
    private final Set<String> paymentErrors = new TreeSet<>();
    private final Set<String> gold = new TreeSet<>();
    private final Set<String> withRetry = new TreeSet<>();

    @Test
    void searchesLiveDataThenBlocksLikeGrafana() throws Exception {
        Map<String, String> flags = Map.of("ingester.trace_idle_period", "1s", "ingester.max_block_duration", "3s",
                "ingester.flush_check_period", "200ms", "storage.trace.blocklist_poll", "300ms");
        try (VivaceProcess v = new VivaceProcess(dir, flags)) {
            v.start();
            long startSeconds = System.currentTimeMillis() / 1000 - 60;
            send(v);

            // Live: found seconds after ingest, without a time range (recent data only).
            assertSearches(v, "");

            // Wait until the ingester has cut and written blocks for everything.
            waitForBlocks(v);
            long endSeconds = System.currentTimeMillis() / 1000 + 60;
            assertSearches(v, "&start=" + startSeconds + "&end=" + endSeconds);
            JsonNode metrics = search(v, "{ }", TRACES * 2, "&start=" + startSeconds + "&end=" + endSeconds).get("metrics");
            assertThat(metrics.get("totalBlocks").asInt()).as("blocks searched").isPositive();
            assertThat(metrics.get("inspectedBytes").isTextual()).as("64-bit as string").isTrue();
            assertThat(Long.parseLong(metrics.get("totalBlockBytes").asText())).isPositive();

            assertStreaming(v, startSeconds, endSeconds);
            assertTags(v);
            assertErrors(v);
        }
    }

    private void send(VivaceProcess v) {
        OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + v.otlpGrpcPort).build();
        List<SdkTracerProvider> providers = new ArrayList<>();
        Map<String, Tracer> tracers = new LinkedHashMap<>();
        for (String service : List.of("frontend", "cart", "payment")) {
            SdkTracerProvider p = SdkTracerProvider.builder()
                    .setResource(Resource.create(Attributes.of(SERVICE, service, AttributeKey.stringKey("deployment.environment"), "prod")))
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(50).build())
                    .build();
            providers.add(p);
            tracers.put(service, p.get("io.vivace.e2e.search", "1.0"));
        }
        for (int t = 0; t < TRACES; t++) {
            boolean error = t % 4 == 1;
            boolean isGold = t % 3 == 0;
            boolean retry = t % 5 == 2;
            Span root = tracers.get("frontend").spanBuilder(t % 2 == 0 ? "GET /checkout" : "GET /cart").setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.method", "GET").setAttribute("http.status_code", error ? 500L : 200L)
                    .setAttribute("tier", isGold ? "gold" : "silver").startSpan();
            String id = trim(root.getSpanContext().getTraceId());
            all.add(id);
            Context rootCtx = Context.root().with(root);
            Span cart = tracers.get("cart").spanBuilder("cart.load").setParent(rootCtx).setSpanKind(SpanKind.INTERNAL)
                    .setAttribute("items", (long) t).startSpan();
            cart.end();
            Span call = tracers.get("frontend").spanBuilder("POST /pay").setParent(rootCtx).setSpanKind(SpanKind.CLIENT).startSpan();
            Span pay = tracers.get("payment").spanBuilder("charge").setParent(Context.root().with(call)).setSpanKind(SpanKind.SERVER)
                    .startSpan();
            if (retry) {
                pay.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L));
                withRetry.add(id);
            }
            if (error) {
                pay.setStatus(StatusCode.ERROR, "card declined");
                paymentErrors.add(id);
            }
            if (isGold) {
                gold.add(id);
            }
            pay.end();
            call.end();
            root.end();
        }
        // The providers share one exporter: flush them all before shutting any down.
        for (SdkTracerProvider p : providers) {
            CompletableResultCode r = p.forceFlush().join(30, TimeUnit.SECONDS);
            assertThat(r.isSuccess()).as("SDK export").isTrue();
        }
        providers.forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
    }

    private static String trim(String hex) {
        String s = hex.replaceFirst("^0+", "");
        return s.isEmpty() ? "0" : s;
    }

    private void assertSearches(VivaceProcess v, String range) throws Exception {
        assertThat(ids(search(v, "{ resource.service.name = \"payment\" && status = error }", 100, range)))
                .as(() -> "everything: " + ids(searchUnchecked(v, "{ }", 100, range)) + "\n" + v.logTail())
                .isEqualTo(paymentErrors);
        assertThat(ids(search(v, "{ span.http.status_code >= 500 }", 100, range))).isEqualTo(paymentErrors);
        assertThat(ids(search(v, "{ resource.service.name = \"frontend\" && kind = server } >> { status = error }", 100, range)))
                .isEqualTo(paymentErrors);
        assertThat(ids(search(v, "{ .tier = \"gold\" }", 100, range))).isEqualTo(gold);
        assertThat(ids(search(v, "{ event:name = \"retry\" }", 100, range))).isEqualTo(withRetry);
        assertThat(ids(search(v, "{ } | count() > 3", 100, range))).isEqualTo(all);
        assertThat(ids(search(v, "{ } | count() > 4", 100, range))).isEmpty();
        assertThat(ids(search(v, "{ name =~ \"GET /(cart|checkout)\" }", 100, range))).isEqualTo(all);

        // The response shape Grafana decodes: 64-bit values as strings, newest first, spss honoured.
        JsonNode r = search(v, "{ resource.service.name = \"payment\" && status = error }", 3, range + "&spss=1");
        JsonNode traces = r.get("traces");
        assertThat(traces.size()).isEqualTo(3);
        long previous = Long.MAX_VALUE;
        for (JsonNode t : traces) {
            assertThat(t.get("startTimeUnixNano").isTextual()).isTrue();
            long start = Long.parseLong(t.get("startTimeUnixNano").asText());
            assertThat(start).as("newest first").isLessThanOrEqualTo(previous);
            previous = start;
            assertThat(t.get("rootServiceName").asText()).isEqualTo("frontend");
            assertThat(t.get("rootTraceName").asText()).startsWith("GET /");
            JsonNode set = t.get("spanSets").get(0);
            assertThat(set.get("matched").asInt()).isEqualTo(1);
            JsonNode span = set.get("spans").get(0);
            assertThat(span.get("name").asText()).isEqualTo("charge");
            assertThat(span.get("spanID").asText()).hasSize(16);
            assertThat(span.get("durationNanos").isTextual()).isTrue();
            assertThat(t.get("spanSet")).isEqualTo(set);
            assertThat(t.get("serviceStats").get("payment").get("errorCount").asInt()).isEqualTo(1);
            assertThat(t.get("serviceStats").get("frontend").get("spanCount").asInt()).isEqualTo(2);
        }
        assertThat(r.get("metrics").get("inspectedTraces").asInt()).isPositive();

        // The same query twice gives the same answer (deterministic order).
        assertThat(search(v, "{ .tier = \"gold\" }", 5, range).get("traces"))
                .isEqualTo(search(v, "{ .tier = \"gold\" }", 5, range).get("traces"));
    }

    private void waitForBlocks(VivaceProcess v) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path blocks = dir.resolve("blocks");
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long spans = 0;
            List<Path> metas;
            try (Stream<Path> s = Files.exists(blocks) ? Files.walk(blocks) : Stream.empty()) {
                metas = s.filter(p -> p.getFileName().toString().equals("meta.json")).toList();
            }
            for (Path m : metas) {
                spans += JSON.readTree(m.toFile()).get("totalSpans").asLong();
            }
            if (spans >= TRACES * 4L) {
                Thread.sleep(1000); // the block list polls every 300 ms
                return;
            }
        }
        throw new AssertionError("traces were not cut into blocks within 60 s:\n" + v.logTail());
    }

    private void assertStreaming(VivaceProcess v, long start, long end) {
        StreamingQuerierGrpc.StreamingQuerierBlockingStub stub = GrpcClients.newClient(
                "gproto+h2c://127.0.0.1:" + v.httpPort + "/", StreamingQuerierGrpc.StreamingQuerierBlockingStub.class);
        Iterator<SearchResponse> it = stub.search(SearchRequest.newBuilder()
                .setQuery("{ resource.service.name = \"payment\" && status = error }")
                .setLimit(100).setSpansPerSpanSet(3).setStart((int) start).setEnd((int) end).build());
        SearchResponse last = null;
        Set<String> seen = new HashSet<>();
        while (it.hasNext()) {
            last = it.next();
            last.getTracesList().forEach(t -> seen.add(t.getTraceID()));
        }
        assertThat(last).isNotNull();
        assertThat(last.getTracesList().stream().map(TraceSearchMetadata::getTraceID).toList())
                .containsExactlyInAnyOrderElementsOf(paymentErrors);
        assertThat(seen).isEqualTo(paymentErrors);
        assertThat(last.getMetrics().getCompletedJobs()).isEqualTo(last.getMetrics().getTotalJobs());

        // The internal gRPC port serves the same service.
        StreamingQuerierGrpc.StreamingQuerierBlockingStub internal = GrpcClients.newClient(
                "gproto+h2c://127.0.0.1:" + v.grpcPort + "/", StreamingQuerierGrpc.StreamingQuerierBlockingStub.class);
        Iterator<SearchResponse> it2 = internal.search(SearchRequest.newBuilder().setQuery("{ .tier = \"gold\" }")
                .setLimit(100).setStart((int) start).setEnd((int) end).build());
        Set<String> gold2 = new HashSet<>();
        it2.forEachRemaining(r -> r.getTracesList().forEach(t -> gold2.add(t.getTraceID())));
        assertThat(gold2).isEqualTo(gold);

        assertThatThrownBy(() -> stub.search(SearchRequest.newBuilder().setQuery("{resource.service.name=article}").build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    private void assertTags(VivaceProcess v) throws Exception {
        long end = System.currentTimeMillis() / 1000 + 60;
        String range = "start=" + (end - 3600) + "&end=" + end;
        JsonNode v2 = json(v.get("/api/v2/search/tags?" + range));
        Map<String, Set<String>> scopes = new LinkedHashMap<>();
        v2.get("scopes").forEach(s -> {
            Set<String> tags = new TreeSet<>();
            s.get("tags").forEach(t -> tags.add(t.asText()));
            scopes.put(s.get("name").asText(), tags);
        });
        assertThat(scopes.keySet().iterator().next()).isEqualTo("intrinsic");
        assertThat(scopes.get("resource")).contains("service.name", "deployment.environment");
        assertThat(scopes.get("span")).contains("http.method", "http.status_code", "tier", "items");
        assertThat(scopes.get("event")).contains("attempt");

        JsonNode v1 = json(v.get("/api/search/tags?" + range));
        List<String> names = new ArrayList<>();
        v1.get("tagNames").forEach(n -> names.add(n.asText()));
        assertThat(names).contains("service.name", "tier").doesNotContain("duration");

        JsonNode values = json(v.get("/api/v2/search/tag/resource.service.name/values?" + range));
        Set<String> services = new TreeSet<>();
        values.get("tagValues").forEach(t -> {
            assertThat(t.get("type").asText()).isEqualTo("string");
            services.add(t.get("value").asText());
        });
        assertThat(services).containsExactly("cart", "frontend", "payment");

        JsonNode filtered = json(v.get("/api/v2/search/tag/name/values?" + range + "&q="
                + URLEncoder.encode("{ resource.service.name = \"payment\" }", StandardCharsets.UTF_8)));
        assertThat(filtered.get("tagValues").findValuesAsText("value")).containsExactly("charge");

        JsonNode status = json(v.get("/api/v2/search/tag/status/values?" + range));
        assertThat(status.get("tagValues").findValuesAsText("type")).containsOnly("keyword");
        assertThat(status.get("tagValues").findValuesAsText("value")).contains("error");

        JsonNode v1Values = json(v.get("/api/search/tag/tier/values?" + range));
        List<String> tiers = new ArrayList<>();
        v1Values.get("tagValues").forEach(t -> tiers.add(t.asText()));
        assertThat(tiers).containsExactly("gold", "silver");
    }

    private void assertErrors(VivaceProcess v) throws Exception {
        HttpResponse<String> bad = v.get("/api/search?q=" + URLEncoder.encode("{ .a = }", StandardCharsets.UTF_8));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).startsWith("invalid TraceQL query: parse error at line 1, col");
        assertThat(v.get("/api/search?q=%7B%7D&limit=0").body()).contains("invalid limit: must be a positive number");
        assertThat(v.get("/api/search?q=%7B%7D&spss=101").body()).contains("spans per span set exceeds 100. received 101");
        assertThat(v.get("/api/search?q=%7B%7D&start=20&end=10").statusCode()).isEqualTo(400);
        assertThat(v.get("/api/search?q=%7B%7D&start=abc").statusCode()).isEqualTo(400);
        assertThat(v.get("/api/search?q=%7B%7D&tags=a%3Db").body()).contains("can't specify tags and q");
        assertThat(v.get("/api/v2/search/tag/foo/values").body())
                .contains("please provide a valid tagName");
        assertThat(v.get("/api/search/tags?scope=bogus").body()).contains("invalid scope: bogus");
    }

    private static JsonNode search(VivaceProcess v, String q, int limit, String extra) throws Exception {
        HttpResponse<String> r = v.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&limit=" + limit + extra);
        assertThat(r.statusCode()).as(q + " → " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode searchUnchecked(VivaceProcess v, String q, int limit, String extra) {
        try {
            return search(v, q, limit, extra);
        } catch (Exception | AssertionError e) {
            return JSON.createObjectNode().put("error", e.toString());
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Set<String> ids(JsonNode response) {
        Set<String> out = new TreeSet<>();
        JsonNode traces = response.get("traces");
        if (traces != null) {
            traces.forEach(t -> out.add(t.get("traceID").asText()));
        }
        return out;
    }
}
