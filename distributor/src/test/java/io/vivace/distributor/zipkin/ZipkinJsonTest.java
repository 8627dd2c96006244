package io.vivace.distributor.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZipkinJsonTest {
    private static List<ZipkinSpan> parse(String json) {
        return ZipkinJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesEveryField() {
        ZipkinSpan s = parse("""
                [{"traceId":"463ac35c9f6413ad48485a3953bb6124","id":"A2FB4A1D1A96D312","parentId":"1","name":"n",
                  "kind":"SERVER","timestamp":5,"duration":6,"debug":true,"shared":true,"unknown":{"x":1},
                  "localEndpoint":{"serviceName":"s","ipv6":"::1","port":80},
                  "annotations":[{"timestamp":7,"value":"v"}],"tags":{"a":"b","n":1}}]
                """).get(0);
        assertThat(s.traceIdHigh()).isEqualTo(0x463ac35c9f6413adL);
        assertThat(s.traceIdLow()).isEqualTo(0x48485a3953bb6124L);
        assertThat(s.id()).isEqualTo(0xa2fb4a1d1a96d312L);
        assertThat(s.parentId()).isEqualTo(1L);
        assertThat(s.kind()).isEqualTo("SERVER");
        assertThat(s.timestampMicros()).isEqualTo(5L);
        assertThat(s.durationMicros()).isEqualTo(6L);
        assertThat(s.debug()).isTrue();
        assertThat(s.shared()).isTrue();
        assertThat(s.localEndpoint()).isEqualTo(new ZipkinSpan.Endpoint("s", null, "::1", 80));
        assertThat(s.annotations()).containsExactly(new ZipkinSpan.Annotation(7, "v"));
        assertThat(s.tags()).containsEntry("a", "b").containsEntry("n", "1");
    }

    @Test
    void malformedInputNamesTheProblem() {
        assertThatThrownBy(() -> parse("[{\"traceId\":")).hasMessageStartingWith("malformed JSON: ");
        assertThatThrownBy(() -> parse("")).hasMessageStartingWith("malformed JSON: empty body");
        assertThatThrownBy(() -> parse("{}")).hasMessage("malformed JSON: expected a JSON array of Zipkin v2 spans, got object");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("span[0]: expected a JSON object");
        assertThatThrownBy(() -> parse("[{\"id\":\"1\"}]")).hasMessage("span[0].traceId: missing (expected: a hex string)");
        assertThatThrownBy(() -> parse("[{\"traceId\":\"1\"}]")).hasMessage("span[0].id: missing (expected: a hex string)");
        assertThatThrownBy(() -> parse("[{\"traceId\":\"xyz\",\"id\":\"1\"}]"))
                .hasMessage("span[0].traceId: \"xyz\" has a non-hex character 'x' at position 1 (expected: 16 or 32 hex characters)");
        assertThatThrownBy(() -> parse("[{\"traceId\":\"" + "1".repeat(33) + "\",\"id\":\"1\"}]"))
                .hasMessageContaining("is longer than 32 hex characters");
        assertThatThrownBy(() -> parse("[{\"traceId\":\"1\",\"id\":\"" + "1".repeat(17) + "\"}]"))
                .hasMessageContaining("span[0].id: ").hasMessageContaining("longer than 16 hex characters");
        assertThatThrownBy(() -> parse("[{\"traceId\":\"1\",\"id\":\"1\",\"timestamp\":\"soon\"}]"))
                .hasMessage("span[0].timestamp: expected an integer, got \"soon\"");
        assertThatThrownBy(() -> parse("[{\"traceId\":1,\"id\":\"1\"}]"))
                .hasMessage("span[0].traceId: expected a string, got 1");
    }
}
