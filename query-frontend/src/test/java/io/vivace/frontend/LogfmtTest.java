package io.vivace.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vivace.common.errors.VivaceException;
import io.vivace.traceql.TraceQL;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogfmtTest {
    @Test
    void parsesBareAndQuotedValues() {
        assertThat(Logfmt.parse("service.name=cart  http.url=\"a b\\\"c\" flag"))
                .containsExactly(Map.entry("service.name", "cart"), Map.entry("http.url", "a b\"c"), Map.entry("flag", ""));
        assertThat(Logfmt.parse("  ")).isEmpty();
    }

    @Test
    void refusesDuplicatesAndBrokenSyntax() {
        assertThatThrownBy(() -> Logfmt.parse("a=1 a=2")).isInstanceOf(VivaceException.class).hasMessageContaining("duplicate key a");
        assertThatThrownBy(() -> Logfmt.parse("a=\"open")).hasMessageContaining("invalid tags: unterminated");
        assertThatThrownBy(() -> Logfmt.parse("a=b=c")).hasMessageContaining("invalid tags: unexpected '=' at pos 4");
    }

    @Test
    void translatesToValidTraceQL() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("service.name", "ca(rt");
        tags.put("name", "GET \"x\"");
        tags.put("status.code", "error");
        tags.put("odd key", "v");
        String q = Logfmt.toTraceQL(tags);
        assertThat(TraceQL.compile(q).toString()).contains("status = error");
        assertThat(Logfmt.toTraceQL(Map.of())).isEqualTo("{ }");
    }
}
