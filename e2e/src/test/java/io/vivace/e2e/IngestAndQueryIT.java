package io.vivace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans sent with the real OpenTelemetry SDK (OTLP gRPC with gzip, OTLP HTTP), Zipkin v2 JSON and
 * OTLP JSON are read back through every trace-by-ID form: while live, after a SIGKILL (WAL replay),
 * after being cut into blocks, and after a graceful restart.
 */
class IngestAndQueryIT {
    private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

    @TempDir
    Path dir;

    @Test
    void spansFromEveryProtocolSurviveLiveReplayBlocksAndRestart() throws Exception {
        Map<String, List<SpanData>> expected = new LinkedHashMap<>();
        Map<String, Map<String, String>> zipkinExpected;
        Map<String, Integer> otlpJsonExpected;
        // A long idle period: nothing is cut in this first phase, so after SIGKILL only the WAL has the spans.
        try (VivaceProcess v = new VivaceProcess(dir, Map.of("ingester.trace_idle_period", "1m"))) {
            v.start();
            expected.putAll(sendWithSdk(OtlpGrpcSpanExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + v.otlpGrpcPort).setCompression("gzip").build(), "grpc", 12));
            expected.putAll(sendWithSdk(OtlpHttpSpanExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + v.otlpHttpPort + "/v1/traces").build(), "http", 12));
            zipkinExpected = sendZipkin(v);
            otlpJsonExpected = sendOtlpJsonInTwoRequestsWithADuplicate(v);

            // Live: straight from the ingester's memory.
            assertEverything(v, expected, zipkinExpected, otlpJsonExpected);

            // SIGKILL: nothing was cut yet (idle period 1 m), so every span comes back through WAL replay.
            v.kill();
            v.start();
            assertEverything(v, expected, zipkinExpected, otlpJsonExpected);
        }
        Map<String, String> fastCut = Map.of("ingester.trace_idle_period", "500ms", "ingester.max_block_duration", "2s",
                "ingester.flush_check_period", "200ms", "storage.trace.blocklist_poll", "300ms");
        try (VivaceProcess v = new VivaceProcess(dir, fastCut)) {
            v.start();
            Path blocks = dir.resolve("blocks");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (countMetas(blocks) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(countMetas(blocks)).as("blocks cut under %s", blocks).isPositive();
            Thread.sleep(1500);
            assertEverything(v, expected, zipkinExpected, otlpJsonExpected);

            // Graceful restart: SIGTERM flushes; the data comes back from blocks.
            v.stop();
            v.start();
            assertEverything(v, expected, zipkinExpected, otlpJsonExpected);
            assertThat(v.get("/api/traces/" + "ab".repeat(16)).statusCode()).isEqualTo(404);
        }
    }

    private static long countMetas(Path blocks) throws Exception {
        if (!Files.exists(blocks)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(blocks)) {
            return s.filter(p -> p.getFileName().toString().equals("meta.json")).count();
        }
    }

    private static void assertEverything(VivaceProcess v, Map<String, List<SpanData>> expected,
            Map<String, Map<String, String>> zipkin, Map<String, Integer> otlpJson) throws Exception {
        for (Map.Entry<String, List<SpanData>> e : expected.entrySet()) {
            Spans.assertSameSpans(e.getValue(), Readback.fetchAllForms(v, e.getKey()));
        }
        for (Map.Entry<String, Map<String, String>> e : zipkin.entrySet()) {
            List<ResourceSpans> trace = Readback.fetchAllForms(v, e.getKey());
            Map<String, Spans.Returned> spans = Spans.bySpanId(trace);
            assertThat(spans.keySet()).containsExactlyInAnyOrderElementsOf(e.getValue().keySet());
            spans.forEach((id, r) -> {
                assertThat(r.span().getName()).isEqualTo(e.getValue().get(id));
                assertThat(r.resource().get("service.name")).isEqualTo("zipkin-svc");
                assertThat(r.span().getEndTimeUnixNano() - r.span().getStartTimeUnixNano()).isEqualTo(1_500_000L);
                assertThat(Spans.attributes(r.span().getAttributesList())).containsEntry("http.method", "GET");
            });
        }
        for (Map.Entry<String, Integer> e : otlpJson.entrySet()) {
            List<ResourceSpans> trace = Readback.fetchAllForms(v, e.getKey());
            assertThat(Spans.bySpanId(trace)).hasSize(e.getValue());
        }
    }

    /** Sends {@code traces} traces of three services with every attribute type, events, links and errors. */
    private static Map<String, List<SpanData>> sendWithSdk(SpanExporter exporter, String label, int traces) {
        InMemorySpanExporter memory = InMemorySpanExporter.create();
        List<SdkTracerProvider> providers = new ArrayList<>();
        List<Tracer> tracers = new ArrayList<>();
        for (String service : List.of("frontend-" + label, "cart-" + label, "db-" + label)) {
            SdkTracerProvider p = SdkTracerProvider.builder()
                    .setResource(Resource.create(Attributes.of(SERVICE, service, AttributeKey.stringKey("k8s.namespace.name"), "shop")))
                    .addSpanProcessor(SimpleSpanProcessor.create(memory))
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(64).build())
                    .build();
            providers.add(p);
            tracers.add(p.get("io.vivace.e2e", "1.0"));
        }
        Random random = new Random(label.hashCode());
        SpanContext previousRoot = null;
        for (int t = 0; t < traces; t++) {
            Span root = tracers.get(0).spanBuilder("GET /checkout/" + t).setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.method", "GET").setAttribute("http.status_code", 200L)
                    .setAttribute("http.url", "https://shop.example/checkout/" + t)
                    .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"))
                    .setAttribute(AttributeKey.longArrayKey("codes"), List.of(1L, 2L, 3L))
                    .setAttribute("ratio", random.nextDouble()).setAttribute("cached", random.nextBoolean())
                    .startSpan();
            if (previousRoot != null) {
                root.addLink(previousRoot, Attributes.of(AttributeKey.stringKey("link.kind"), "previous"));
            }
            previousRoot = root.getSpanContext();
            Context rootCtx = Context.root().with(root);
            for (int c = 0; c < 3; c++) {
                Span client = tracers.get(1).spanBuilder("cart.get").setParent(rootCtx).setSpanKind(SpanKind.CLIENT)
                        .setAttribute("item.count", (long) c).startSpan();
                Span db = tracers.get(2).spanBuilder("SELECT cart").setParent(Context.root().with(client))
                        .setSpanKind(SpanKind.INTERNAL).setAttribute("db.system", "postgresql").startSpan();
                db.addEvent("row", Attributes.of(AttributeKey.longKey("rows"), 42L));
                if (c == 2 && t % 3 == 0) {
                    db.setStatus(StatusCode.ERROR, "deadlock detected");
                    db.recordException(new IllegalStateException("deadlock"));
                }
                db.end();
                client.end();
            }
            root.setStatus(StatusCode.OK);
            root.end();
        }
        for (SdkTracerProvider p : providers) {
            CompletableResultCode r = p.forceFlush().join(30, TimeUnit.SECONDS);
            assertThat(r.isSuccess()).as("export over %s succeeded", label).isTrue();
        }
        List<SpanData> finished = memory.getFinishedSpanItems();
        providers.forEach(SdkTracerProvider::close);
        assertThat(finished).hasSize(traces * 7);
        return finished.stream().collect(Collectors.groupingBy(SpanData::getTraceId, LinkedHashMap::new, Collectors.toList()));
    }

    /** Posts Zipkin v2 JSON: one 128-bit trace and one 64-bit trace (looked up by its 16 hex digits). */
    private static Map<String, Map<String, String>> sendZipkin(VivaceProcess v) throws Exception {
        HexFormat hex = HexFormat.of();
        Random r = new Random(7);
        long nowMicros = System.currentTimeMillis() * 1000;
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        StringBuilder body = new StringBuilder("[");
        for (String traceId : List.of(hex.toHexDigits(r.nextLong()) + hex.toHexDigits(r.nextLong()), hex.toHexDigits(r.nextLong()))) {
            String rootId = hex.toHexDigits(r.nextLong());
            String childId = hex.toHexDigits(r.nextLong());
            Map<String, String> names = new LinkedHashMap<>();
            names.put(rootId, "get /zipkin");
            names.put(childId, "select");
            out.put(traceId, names);
            if (body.length() > 1) {
                body.append(',');
            }
            body.append("{\"traceId\":\"").append(traceId).append("\",\"id\":\"").append(rootId)
                    .append("\",\"name\":\"get /zipkin\",\"kind\":\"SERVER\",\"timestamp\":").append(nowMicros)
                    .append(",\"duration\":1500,\"localEndpoint\":{\"serviceName\":\"zipkin-svc\"},\"tags\":{\"http.method\":\"GET\"}},");
            body.append("{\"traceId\":\"").append(traceId).append("\",\"id\":\"").append(childId).append("\",\"parentId\":\"")
                    .append(rootId).append("\",\"name\":\"select\",\"kind\":\"CLIENT\",\"timestamp\":").append(nowMicros + 100)
                    .append(",\"duration\":1500,\"localEndpoint\":{\"serviceName\":\"zipkin-svc\"},\"tags\":{\"http.method\":\"GET\"}}");
        }
        body.append(']');
        HttpResponse<String> resp = v.post(v.zipkinPort, "/api/v2/spans", "application/json",
                body.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(202);
        return out;
    }

    /** One trace in two OTLP/JSON requests, the second repeating one span of the first. */
    private static Map<String, Integer> sendOtlpJsonInTwoRequestsWithADuplicate(VivaceProcess v) throws Exception {
        HexFormat hex = HexFormat.of();
        Random r = new Random(11);
        String traceId = hex.toHexDigits(r.nextLong()) + hex.toHexDigits(r.nextLong());
        String[] ids = {hex.toHexDigits(r.nextLong()), hex.toHexDigits(r.nextLong()), hex.toHexDigits(r.nextLong())};
        long now = System.currentTimeMillis() * 1_000_000L;
        String first = otlpJson(traceId, List.of(ids[0], ids[1]), now);
        String second = otlpJson(traceId, List.of(ids[1], ids[2]), now);
        for (String body : List.of(first, second)) {
            HttpResponse<String> resp = v.post(v.otlpHttpPort, "/v1/traces", "application/json",
                    body.getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        }
        return Map.of(traceId, 3);
    }

    private static String otlpJson(String traceId, List<String> spanIds, long startNanos) {
        String spans = spanIds.stream().map(id -> "{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + id
                + "\",\"name\":\"json-span\",\"kind\":2,\"startTimeUnixNano\":\"" + startNanos + "\",\"endTimeUnixNano\":"
                + (startNanos + 1000) + ",\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":\"5\"}}]}")
                .collect(Collectors.joining(","));
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"json-svc\"}}]},"
                + "\"scopeSpans\":[{\"scope\":{\"name\":\"manual\"},\"spans\":[" + spans + "]}]}]}";
    }

}
