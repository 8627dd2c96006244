package io.vivace.distributor.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.distributor.Distributor;
import io.vivace.distributor.DistributorConfig;
import io.vivace.distributor.RecordingIngestLog;
import io.vivace.distributor.TestSpans;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each receiver on its own port, next to a default virtual host, as the application wires them. */
class ReceiversBindingTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private int status(int port, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (body == null) {
            b.GET();
        } else {
            b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        }
        return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void bindsEachReceiverToItsOwnPort() throws Exception {
        int grpcPort = freePort();
        int httpPort = freePort();
        int zipkinPort = freePort();
        DistributorConfig config = new DistributorConfig(new DistributorConfig.Receivers(
                new DistributorConfig.Otlp(new DistributorConfig.Protocols(
                        new DistributorConfig.Grpc(":" + grpcPort, 4),
                        new DistributorConfig.Http("127.0.0.1:" + httpPort, 1 << 20))),
                new DistributorConfig.Zipkin(":" + zipkinPort, 1 << 20)), Duration.ofSeconds(5));
        RecordingIngestLog log = new RecordingIngestLog();
        Distributor distributor = new Distributor(config, OverridesConfig.defaultConfig(), false, log, new SimpleMeterRegistry());

        ServerBuilder sb = Server.builder().http(0).service("/api/echo", (ctx, req) -> HttpResponse.of("echo"));
        List<Receivers.Binding> bound = new Receivers(distributor, config).bind(sb, "127.0.0.1");
        assertThat(bound).containsExactly(
                new Receivers.Binding(Receivers.OTLP_GRPC, new DistributorConfig.Endpoint("127.0.0.1", grpcPort)),
                new Receivers.Binding(Receivers.OTLP_HTTP, new DistributorConfig.Endpoint("127.0.0.1", httpPort)),
                new Receivers.Binding(Receivers.ZIPKIN, new DistributorConfig.Endpoint("127.0.0.1", zipkinPort)));
        Server server = sb.build();
        server.start().join();
        try {
            int apiPort = server.activePorts().values().stream()
                    .mapToInt(p -> p.localAddress().getPort())
                    .filter(p -> p != grpcPort && p != httpPort && p != zipkinPort)
                    .findFirst().orElseThrow();
            byte[] otlp = TestSpans.request(1).toByteArray();
            byte[] zipkin = "[{\"traceId\":\"1\",\"id\":\"1\"}]".getBytes(StandardCharsets.UTF_8);

            assertThat(status(httpPort, "/v1/traces", "application/x-protobuf", otlp)).isEqualTo(200);
            assertThat(status(zipkinPort, "/api/v2/spans", "application/json", zipkin)).isEqualTo(202);
            assertThat(status(apiPort, "/api/echo", null, null)).isEqualTo(200);
            // Routes stay on their own port.
            assertThat(status(httpPort, "/api/echo", null, null)).isEqualTo(404);
            assertThat(status(apiPort, "/v1/traces", "application/x-protobuf", otlp)).isEqualTo(404);
            assertThat(status(grpcPort, "/v1/traces", "application/x-protobuf", otlp)).isEqualTo(404);
            assertThat(status(zipkinPort, "/v1/traces", "application/x-protobuf", otlp)).isEqualTo(404);
            assertThat(log.batches()).hasSize(2);

            io.grpc.ManagedChannel channel = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort)
                    .usePlaintext().build();
            try {
                assertThat(io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                        .export(TestSpans.request(2))).isNotNull();
            } finally {
                channel.shutdownNow();
            }
            assertThat(log.batches()).hasSize(3);
        } finally {
            server.stop().join();
        }
    }

    @Test
    void disabledReceiversAreNotBound() {
        DistributorConfig config = new DistributorConfig(new DistributorConfig.Receivers(
                new DistributorConfig.Otlp(new DistributorConfig.Protocols(null, new DistributorConfig.Http("", 100))),
                null), Duration.ZERO);
        Distributor distributor = new Distributor(config, OverridesConfig.defaultConfig(), false, new RecordingIngestLog(),
                new SimpleMeterRegistry());
        Receivers receivers = new Receivers(distributor, config);
        assertThat(receivers.otlpGrpcService()).isNull();
        assertThat(receivers.zipkinService()).isNull();
        assertThat(receivers.otlpHttpService()).isNotNull();
        ServerBuilder sb = Server.builder();
        assertThat(receivers.bind(sb, "127.0.0.1")).extracting(Receivers.Binding::receiver).containsExactly(Receivers.OTLP_HTTP);
        assertThatThrownBy(() -> receivers.bindZipkin(sb, new DistributorConfig.Endpoint("127.0.0.1", 9411)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("distributor.receivers.zipkin is disabled (null); configure it to bind it");
    }

    @Test
    void invalidConfigIsRefused() {
        DistributorConfig config = new DistributorConfig(new DistributorConfig.Receivers(null,
                new DistributorConfig.Zipkin("x:y", 100)), Duration.ZERO);
        Distributor distributor = new Distributor(config, OverridesConfig.defaultConfig(), false, new RecordingIngestLog(),
                new SimpleMeterRegistry());
        assertThatThrownBy(() -> new Receivers(distributor, config))
                .hasMessage("invalid distributor configuration: distributor.receivers.zipkin.endpoint: \"x:y\" (expected: host:port)");
    }
}
