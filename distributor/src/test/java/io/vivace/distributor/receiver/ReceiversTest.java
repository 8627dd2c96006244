package io.vivace.distributor.receiver;

import static io.vivace.distributor.TestSpans.SPAN_ID;
import static io.vivace.distributor.TestSpans.resource;
import static io.vivace.distributor.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.distributor.Distributor;
import io.vivace.distributor.DistributorConfig;
import io.vivace.distributor.DistributorMetrics;
import io.vivace.distributor.RecordingIngestLog;
import io.vivace.distributor.TestSpans;
import io.vivace.ingest.PushBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The receivers on a real Armeria server, driven by the JDK HTTP client and a plain grpc-java client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceiversTest {
    private static final long MAX_BODY = 64 * 1024;
    private static final String TRACE_ID = TestSpans.TRACE_ID;

    private final RecordingIngestLog log = new RecordingIngestLog();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> grpcEncodings = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Server server;
    private int port;
    private ManagedChannel channel;

    @BeforeAll
    void start() {
        DistributorConfig config = new DistributorConfig(new DistributorConfig.Receivers(
                new DistributorConfig.Otlp(new DistributorConfig.Protocols(
                        new DistributorConfig.Grpc("", 1), new DistributorConfig.Http("", MAX_BODY))),
                new DistributorConfig.Zipkin("", MAX_BODY)), Duration.ofSeconds(5));
        Limits tiny = new Limits(new Limits.Ingestion("local", 10, 10, 0), new Limits.Global(0));
        OverridesConfig overrides = new OverridesConfig(Limits.defaults(), Map.of("limited", tiny));
        Distributor distributor = new Distributor(config, overrides, true, log, registry);
        ServerBuilder sb = com.linecorp.armeria.server.Server.builder().http(0)
                .requestTimeout(Duration.ofSeconds(20))
                .decorator((delegate, ctx, req) -> {
                    String enc = req.headers().get("grpc-encoding");
                    if (enc != null) {
                        grpcEncodings.add(enc);
                    }
                    return delegate.serve(ctx, req);
                });
        new Receivers(distributor, config).addTo(sb);
        server = sb.build();
        server.start().join();
        port = server.activeLocalPort();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterAll
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop().join();
    }

    @BeforeEach
    void reset() {
        log.batches().clear();
        log.succeed();
    }

    // ---------------------------------------------------------------- helpers

    private HttpResponse<byte[]> post(String path, String contentType, String tenant, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return http.send(request(path, contentType, tenant, body, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String path, String contentType, String tenant, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (tenant != null) {
            b.header("X-Scope-OrgID", tenant);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static com.google.rpc.Status status(HttpResponse<byte[]> r) throws IOException {
        assertThat(r.headers().firstValue("content-type")).hasValue("application/x-protobuf");
        return com.google.rpc.Status.parseFrom(r.body());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Proves the server still serves a good request after a bad one. */
    private void stillServes() throws Exception {
        int before = log.batches().size();
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", "t", TestSpans.request(1).toByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(log.batches()).hasSize(before + 1);
    }

    private TraceServiceGrpc.TraceServiceBlockingStub grpc(String tenant) {
        TraceServiceGrpc.TraceServiceBlockingStub stub = TraceServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(15, TimeUnit.SECONDS);
        if (tenant != null) {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER), tenant);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        }
        return stub;
    }

    private static final String JSON_REQUEST = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},
              "scopeSpans":[{"spans":[{"traceId":"%s","spanId":"%s","name":"s","kind":2,
                "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":1700000000100000000}]}]}]}
            """;

    // ---------------------------------------------------------------- OTLP/HTTP

    @Test
    void otlpHttpProtobufIsAppendedWithTheRawBody() throws Exception {
        byte[] body = TestSpans.request(3).toByteArray();
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", "team-a", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/x-protobuf");
        assertThat(ExportTraceServiceResponse.parseFrom(r.body())).isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
        PushBatch batch = log.batches().get(0);
        assertThat(batch.tenant()).isEqualTo("team-a");
        assertThat(batch.spanCount()).isEqualTo(3);
        assertThat(batch.encoded()).isEqualTo(body);

        assertThat(post("/v1/traces", "application/protobuf", "team-b", body).statusCode()).isEqualTo(200);
        assertThat(log.batches().get(1).tenant()).isEqualTo("team-b");
    }

    @Test
    void otlpHttpJsonAndGzip() throws Exception {
        byte[] json = JSON_REQUEST.formatted(TRACE_ID, SPAN_ID).getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = post("/v1/traces", "application/json; charset=utf-8", "t", json);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("{}");
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        PushBatch batch = log.batches().get(0);
        assertThat(batch.spanCount()).isEqualTo(1);
        Span span = TracesData.parseFrom(batch.encoded()).getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(span.getTraceId()).isEqualTo(TestSpans.bytes(TRACE_ID));
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);

        assertThat(post("/v1/traces", "application/json", "t", gzip(json), "Content-Encoding", "gzip").statusCode())
                .isEqualTo(200);
        assertThat(post("/v1/traces", "application/x-protobuf", "t", gzip(TestSpans.request(2).toByteArray()),
                "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
        assertThat(log.batches()).extracting(PushBatch::spanCount).containsExactly(1, 1, 2);
    }

    @Test
    void garbageProtobufIs400() throws Exception {
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", "t",
                new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 1, 2});
        assertThat(r.statusCode()).isEqualTo(400);
        com.google.rpc.Status s = status(r);
        assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(s.getMessage()).startsWith("proto: failed to unmarshal ExportTraceServiceRequest: ");
        assertThat(log.batches()).isEmpty();
        assertThat(registry.find(DistributorMetrics.DISCARDED_SPANS).tags("tenant", "t", "reason", "bad_request").counter())
                .isNotNull();
        stillServes();
    }

    @Test
    void truncatedGzipIs400() throws Exception {
        byte[] gz = gzip(TestSpans.request(5).toByteArray());
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", "t", truncated, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(status(r).getMessage()).startsWith("failed to decompress the gzip body: ");
        HttpResponse<byte[]> notGzip = post("/v1/traces", "application/x-protobuf", "t", new byte[] {1, 2, 3},
                "Content-Encoding", "gzip");
        assertThat(notGzip.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> br = post("/v1/traces", "application/x-protobuf", "t", new byte[] {1}, "Content-Encoding", "br");
        assertThat(br.statusCode()).isEqualTo(415);
        stillServes();
    }

    @Test
    void wrongContentTypeIs415AndWrongMethodIs405() throws Exception {
        HttpResponse<byte[]> r = post("/v1/traces", "text/plain", "t", new byte[] {1});
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(text(r)).isEqualTo("415 unsupported media type, supported: [application/json, application/x-protobuf]");
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        assertThat(post("/v1/traces", null, "t", new byte[] {1}).statusCode()).isEqualTo(415);

        HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(text(get)).isEqualTo("405 method not allowed, supported: [POST]");
        stillServes();
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        byte[] big = new byte[(int) MAX_BODY + 1024];
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", "t", big);
        assertThat(r.statusCode()).isEqualTo(413);
        // A small gzip body that inflates beyond the limit is refused too.
        HttpResponse<byte[]> bomb = post("/v1/traces", "application/x-protobuf", "t", gzip(new byte[(int) MAX_BODY * 4]),
                "Content-Encoding", "gzip");
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(status(bomb).getMessage()).contains("larger than " + MAX_BODY + " bytes after decompression");
        assertThat(log.batches()).isEmpty();
        stillServes();
    }

    @Test
    void malformedJsonIs400WithAJsonStatus() throws Exception {
        HttpResponse<byte[]> r = post("/v1/traces", "application/json", "t", "{\"resourceSpans\":[".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        assertThat(text(r)).startsWith("{\"code\":3,\"message\":\"malformed JSON: ");
        stillServes();
    }

    @Test
    void invalidIdsAre400WithTemposMessage() throws Exception {
        ExportTraceServiceRequest bad = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("svc", span(TRACE_ID, SPAN_ID, "ok"), span("0102030405060708", SPAN_ID, "bad")))
                .build();
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", "t", bad.toByteArray());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(status(r).getMessage()).isEqualTo("trace ids must be 128 bit, received 64 bits");
        assertThat(status(r).getCode()).isEqualTo(3);

        byte[] json = JSON_REQUEST.formatted(TRACE_ID, "0000000000000000").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> j = post("/v1/traces", "application/json", "t", json);
        assertThat(j.statusCode()).isEqualTo(400);
        assertThat(text(j)).isEqualTo("{\"code\":3,\"message\":\"span ids must be 64 bit and not all zero, received 64 bits\"}");
        assertThat(log.batches()).isEmpty();
        stillServes();
    }

    @Test
    void rateLimitIs429WithRetryAfterAndRetryInfo() throws Exception {
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", "limited", TestSpans.request(1).toByteArray());
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("5");
        com.google.rpc.Status s = status(r);
        assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
        assertThat(s.getMessage()).startsWith("RATE_LIMITED: batch size (").contains("for user limited");
        assertThat(s.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(5);

        byte[] json = JSON_REQUEST.formatted(TRACE_ID, SPAN_ID).getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> j = post("/v1/traces", "application/json", "limited", json);
        assertThat(j.statusCode()).isEqualTo(429);
        assertThat(text(j)).startsWith("{\"code\":8,\"message\":\"RATE_LIMITED: ")
                .endsWith("\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"5s\"}]}");
        stillServes();
    }

    @Test
    void missingTenantIs401() throws Exception {
        HttpResponse<byte[]> r = post("/v1/traces", "application/x-protobuf", null, TestSpans.request(1).toByteArray());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(status(r).getMessage()).isEqualTo("no org id");
        assertThat(status(r).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED.value());
        HttpResponse<byte[]> several = post("/v1/traces", "application/x-protobuf", "a|b", TestSpans.request(1).toByteArray());
        assertThat(several.statusCode()).isEqualTo(400);
        stillServes();
    }

    @Test
    void appendFailureIs503AndSlowAppendsBlockNobody() throws Exception {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        log.answer(b -> switch (b.tenant()) {
            case "broken" -> CompletableFuture.failedFuture(new IllegalStateException("WAL is closed"));
            case "slow" -> slow;
            default -> CompletableFuture.completedFuture(null);
        });
        HttpResponse<byte[]> broken = post("/v1/traces", "application/x-protobuf", "broken", TestSpans.request(1).toByteArray());
        assertThat(broken.statusCode()).isEqualTo(503);
        assertThat(broken.headers().firstValue("retry-after")).hasValue("5");
        assertThat(status(broken).getCode()).isEqualTo(Status.Code.UNAVAILABLE.value());
        assertThat(status(broken).getMessage()).contains("WAL is closed");

        CompletableFuture<HttpResponse<byte[]>> waiting = http.sendAsync(
                request("/v1/traces", "application/x-protobuf", "slow", TestSpans.request(1).toByteArray()),
                HttpResponse.BodyHandlers.ofByteArray());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.batches().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(log.batches()).hasSize(2);
        // While one request waits for the log, others are served.
        for (int i = 0; i < 3; i++) {
            stillServes();
        }
        assertThat(waiting).isNotDone();
        slow.complete(null);
        assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void requestsAreTimedPerReceiver() throws Exception {
        stillServes();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (registry.find(DistributorMetrics.REQUEST_DURATION).tags("receiver", "otlp_http", "status", "200").timer() == null
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(registry.find(DistributorMetrics.REQUEST_DURATION).tags("receiver", "otlp_http", "status", "200")
                .timer().count()).isPositive();
    }

    // ---------------------------------------------------------------- OTLP/gRPC

    @Test
    void otlpGrpcWithAndWithoutGzip() {
        ExportTraceServiceResponse plain = grpc("g").export(TestSpans.request(2));
        assertThat(plain).isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
        ExportTraceServiceResponse zipped = grpc("g").withCompression("gzip").export(TestSpans.request(4));
        assertThat(zipped).isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
        assertThat(log.batches()).extracting(PushBatch::tenant).containsExactly("g", "g");
        assertThat(log.batches()).extracting(PushBatch::spanCount).containsExactly(2, 4);
        assertThat(grpcEncodings).contains("gzip");
    }

    @Test
    void otlpGrpcInvalidArgument() {
        ExportTraceServiceRequest bad = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("svc", span(TRACE_ID, "01", "bad"))).build();
        assertThatThrownBy(() -> grpc("g").export(bad))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("span ids must be 64 bit and not all zero, received 8 bits");
                });
        assertThat(grpc("g").export(TestSpans.request(1))).isNotNull();
    }

    @Test
    void otlpGrpcResourceExhaustedCarriesRetryInfo() throws Exception {
        try {
            grpc("limited").export(TestSpans.request(1));
            throw new AssertionError("expected RESOURCE_EXHAUSTED");
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).startsWith("RATE_LIMITED: ");
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            assertThat(details).isNotNull();
            List<Any> any = details.getDetailsList();
            assertThat(any).hasSize(1);
            assertThat(any.get(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(5);
        }
        assertThat(grpc("g").export(TestSpans.request(1))).isNotNull();
    }

    @Test
    void otlpGrpcUnauthenticatedAndUnavailable() {
        assertThatThrownBy(() -> grpc(null).export(TestSpans.request(1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no org id");
                });
        log.fail(new IllegalStateException("WAL is closed"));
        assertThatThrownBy(() -> grpc("g").export(TestSpans.request(1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        log.succeed();
        assertThat(grpc("g").export(TestSpans.request(1))).isNotNull();
    }

    @Test
    void otlpGrpcOversizedMessageIsRefused() {
        // 1 MiB is the configured limit; this request is about 1.2 MiB.
        ExportTraceServiceRequest big = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("svc", span(TRACE_ID, SPAN_ID, "x".repeat(1_200_000)))).build();
        assertThatThrownBy(() -> grpc("g").export(big))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(log.batches()).isEmpty();
        assertThat(grpc("g").export(TestSpans.request(1))).isNotNull();
    }

    // ---------------------------------------------------------------- Zipkin

    private static final String ZIPKIN = """
            [{"traceId":"48485a3953bb6124","id":"a2fb4a1d1a96d312","name":"get /api","kind":"SERVER",
              "timestamp":1556604172355737,"duration":1431,"localEndpoint":{"serviceName":"backend"},
              "tags":{"http.method":"GET"}},
             {"traceId":"48485a3953bb6124","id":"b2fb4a1d1a96d312","parentId":"a2fb4a1d1a96d312","name":"query",
              "kind":"CLIENT","timestamp":1556604172355800,"duration":100,"localEndpoint":{"serviceName":"backend"},
              "remoteEndpoint":{"serviceName":"db"}}]
            """;

    @Test
    void zipkinJsonIsAcceptedAndTranslated() throws Exception {
        HttpResponse<byte[]> r = post("/api/v2/spans", "application/json", "z", ZIPKIN.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(202);
        PushBatch batch = log.batches().get(0);
        assertThat(batch.tenant()).isEqualTo("z");
        assertThat(batch.spanCount()).isEqualTo(2);
        TracesData data = TracesData.parseFrom(batch.encoded());
        assertThat(data.getResourceSpansList()).isEqualTo(batch.resourceSpans());
        Span first = data.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(first.getTraceId()).isEqualTo(TestSpans.bytes("000000000000000048485a3953bb6124"));
        assertThat(first.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);

        HttpResponse<byte[]> zipped = post("/api/v2/spans", "application/json", "z",
                gzip(ZIPKIN.getBytes(StandardCharsets.UTF_8)), "Content-Encoding", "gzip");
        assertThat(zipped.statusCode()).isEqualTo(202);
        assertThat(log.batches()).hasSize(2);
    }

    @Test
    void zipkinBadInputIs400WithAMessage() throws Exception {
        HttpResponse<byte[]> malformed = post("/api/v2/spans", "application/json", "z", "[{".getBytes(StandardCharsets.UTF_8));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(text(malformed)).startsWith("malformed JSON: ");
        HttpResponse<byte[]> badId = post("/api/v2/spans", "application/json", "z",
                "[{\"traceId\":\"zz\",\"id\":\"1\"}]".getBytes(StandardCharsets.UTF_8));
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(text(badId)).startsWith("span[0].traceId: \"zz\" has a non-hex character");
        HttpResponse<byte[]> zeroSpanId = post("/api/v2/spans", "application/json", "z",
                "[{\"traceId\":\"1\",\"id\":\"0\"}]".getBytes(StandardCharsets.UTF_8));
        assertThat(zeroSpanId.statusCode()).isEqualTo(400);
        assertThat(text(zeroSpanId)).isEqualTo("span ids must be 64 bit and not all zero, received 64 bits");
        HttpResponse<byte[]> unauthenticated = post("/api/v2/spans", "application/json", null,
                ZIPKIN.getBytes(StandardCharsets.UTF_8));
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(post("/api/v2/spans", "application/json", "z", "[]".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(202);
        HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/spans"))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(log.batches()).isEmpty();
        stillServes();
    }

    @Test
    void zipkinProtobufIsAccepted() throws Exception {
        byte[] body = io.vivace.distributor.zipkin.ZipkinProtoTestAccess.listOfOneSpan();
        HttpResponse<byte[]> r = post("/api/v2/spans", "application/x-protobuf", "z", body);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(log.batches()).singleElement().extracting(PushBatch::spanCount).isEqualTo(1);
        HttpResponse<byte[]> garbage = post("/api/v2/spans", "application/x-protobuf", "z", new byte[] {0x0a, 0x7f});
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(text(garbage)).startsWith("invalid Zipkin protobuf: ");
    }
}
