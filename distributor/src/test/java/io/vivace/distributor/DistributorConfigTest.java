package io.vivace.distributor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vivace.common.config.ConfigLoader;
import io.vivace.distributor.DistributorConfig.Endpoint;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DistributorConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsArePinned() {
        DistributorConfig d = DistributorConfig.defaults();
        assertThat(d.otlpGrpc()).isEqualTo(new DistributorConfig.Grpc("", 4));
        assertThat(d.otlpHttp()).isEqualTo(new DistributorConfig.Http("", 20L * 1024 * 1024));
        assertThat(d.zipkin()).isEqualTo(new DistributorConfig.Zipkin("", 20L * 1024 * 1024));
        assertThat(d.retryAfterOnResourceExhausted()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.validate()).isEmpty();
    }

    @Test
    void yamlKeysAreTemposSnakeCaseKeys() {
        JsonNode tree = loader.toTree(DistributorConfig.defaults());
        assertThat(tree.at("/receivers/otlp/protocols/grpc/endpoint").asText()).isEmpty();
        assertThat(tree.at("/receivers/otlp/protocols/grpc/max_recv_msg_size_mib").asInt()).isEqualTo(4);
        assertThat(tree.at("/receivers/otlp/protocols/http/max_request_body_size").asLong()).isEqualTo(20L << 20);
        assertThat(tree.at("/receivers/zipkin/endpoint").isTextual()).isTrue();
        assertThat(tree.at("/retry_after_on_resource_exhausted").asText()).isEqualTo("5s");
        // Only the record components are keys: the convenience accessors are not.
        assertThat(tree.fieldNames()).toIterable().containsExactlyInAnyOrder("receivers", "retry_after_on_resource_exhausted");
    }

    @Test
    void loadsYaml() {
        String yaml = """
                receivers:
                  otlp:
                    protocols:
                      grpc:
                        endpoint: 0.0.0.0:14317
                        max_recv_msg_size_mib: 16
                  zipkin:
                    endpoint: ":19411"
                    max_request_body_size: 1000
                retry_after_on_resource_exhausted: 2s
                """;
        DistributorConfig c = loader.load(DistributorConfig.class, DistributorConfig.defaults(), yaml, Map.of(), k -> null);
        assertThat(c.otlpGrpc()).isEqualTo(new DistributorConfig.Grpc("0.0.0.0:14317", 16));
        assertThat(c.otlpHttp()).isEqualTo(DistributorConfig.defaults().otlpHttp());
        assertThat(c.zipkin()).isEqualTo(new DistributorConfig.Zipkin(":19411", 1000));
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.validate()).isEmpty();
    }

    @Test
    void validateNamesEveryBadKey() {
        DistributorConfig c = new DistributorConfig(new DistributorConfig.Receivers(
                new DistributorConfig.Otlp(new DistributorConfig.Protocols(
                        new DistributorConfig.Grpc("x:y", 0), new DistributorConfig.Http(":9411", 0))),
                new DistributorConfig.Zipkin("", 10)), Duration.ofSeconds(-1));
        assertThat(c.validate()).containsExactly(
                "distributor.receivers.otlp.protocols.grpc.endpoint: \"x:y\" (expected: host:port)",
                "distributor.receivers.otlp.protocols.grpc.max_recv_msg_size_mib: 0 (expected: 1-2047)",
                "distributor.receivers.otlp.protocols.http.max_request_body_size: 0 (expected: 1-2147483647)",
                "distributor.receivers.zipkin.endpoint: port 9411 is already used by "
                        + "distributor.receivers.otlp.protocols.http.endpoint (expected: a port per receiver)",
                "distributor.retry_after_on_resource_exhausted: PT-1S (expected: >= 0)");
    }

    @Test
    void resolvesEndpoints() {
        String key = "distributor.receivers.zipkin.endpoint";
        assertThat(DistributorConfig.resolveEndpoint(key, "", "10.0.0.1", 9411)).isEqualTo(new Endpoint("10.0.0.1", 9411));
        assertThat(DistributorConfig.resolveEndpoint(key, null, "h", 9411)).isEqualTo(new Endpoint("h", 9411));
        assertThat(DistributorConfig.resolveEndpoint(key, ":1234", "h", 9411)).isEqualTo(new Endpoint("h", 1234));
        assertThat(DistributorConfig.resolveEndpoint(key, "0.0.0.0:4317", "h", 9411)).isEqualTo(new Endpoint("0.0.0.0", 4317));
        assertThat(DistributorConfig.resolveEndpoint(key, "[::1]:4317", "h", 1)).isEqualTo(new Endpoint("::1", 4317));
        assertThatThrownBy(() -> DistributorConfig.resolveEndpoint(key, "x:y", "h", 1))
                .hasMessage("distributor.receivers.zipkin.endpoint: \"x:y\" (expected: host:port)");
        assertThatThrownBy(() -> DistributorConfig.resolveEndpoint(key, "localhost", "h", 1))
                .hasMessage("distributor.receivers.zipkin.endpoint: \"localhost\" (expected: host:port)");
        assertThatThrownBy(() -> DistributorConfig.resolveEndpoint(key, "h:70000", "h", 1))
                .hasMessage("distributor.receivers.zipkin.endpoint: \"h:70000\" (expected: host:port with a port in 1-65535)");
        assertThatThrownBy(() -> DistributorConfig.resolveEndpoint(key, "::1:80", "h", 1))
                .hasMessageContaining("(expected: host:port)");
    }
}
