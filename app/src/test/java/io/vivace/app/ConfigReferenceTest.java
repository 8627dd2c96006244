package io.vivace.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vivace.common.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins every configuration key and default to docs/configuration.md, and checks the doc's example loads. */
class ConfigReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void everyKeyAndDefaultIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        Map<String, String> keys = new LinkedHashMap<>();
        flatten("", new ConfigLoader().toTree(VivaceConfig.defaults()), keys);
        assertThat(keys).hasSizeGreaterThan(30);
        keys.forEach((key, def) -> assertThat(doc).as("docs/configuration.md row for %s with default %s", key, def)
                .contains("| `" + key + "` | `" + def + "` |"));
        long rows = doc.lines().filter(l -> l.startsWith("| `")).count();
        assertThat(rows).as("documented keys that no longer exist").isEqualTo(keys.size());
    }

    @Test
    void theDocumentedExampleIsValid() throws Exception {
        String doc = Files.readString(DOC);
        String yaml = doc.substring(doc.indexOf("```yaml") + 7, doc.lastIndexOf("```"));
        VivaceConfig c = VivaceConfig.load(yaml, Map.of(), name -> null);
        assertThat(c.validate()).isEmpty();
        assertThat(c.multitenancyEnabled()).isTrue();
        assertThat(c.storage().trace().wal().path()).isEqualTo("/var/lib/vivace/wal");
        assertThat(c.overrides().forTenant("big-team").ingestion().rateLimitBytes()).isEqualTo(100_000_000L);
        assertThat(c.overrides().forTenant("big-team").global().maxBytesPerTrace())
                .isEqualTo(c.overrides().defaults().global().maxBytesPerTrace());
        assertThat(c.overrides().forTenant("other").ingestion().rateLimitBytes()).isEqualTo(30_000_000L);
    }

    @Test
    void defaultsAreValid() {
        assertThat(VivaceConfig.defaults().validate()).isEmpty();
    }

    @Test
    void flagsOverrideTheFileAndUnknownKeysFailNamingTheKey() {
        VivaceConfig c = VivaceConfig.load("server:\n  http_listen_port: 4000\n",
                Map.of("server.http_listen_port", "5000", "ingester.trace_idle_period", "2s"), n -> null);
        assertThat(c.server().httpListenPort()).isEqualTo(5000);
        assertThat(c.ingester().traceIdlePeriod()).hasSeconds(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VivaceConfig.load("ingester:\n  trace_idle_perod: 2s\n", Map.of(), n -> null))
                .hasMessageContaining("ingester.trace_idle_perod");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VivaceConfig.load(null, Map.of("storage.trace.nope", "1"), n -> null))
                .hasMessageContaining("storage.trace.nope");
    }

    @Test
    void invalidValuesAreReportedByKey() {
        VivaceConfig c = VivaceConfig.load(null, Map.of("target", "compactor", "server.log_level", "loud"), n -> null);
        List<String> errors = c.validate();
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("target: compactor"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("server.log_level: loud"));
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject() && !prefix.equals("overrides.per_tenant")) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isObject()) {
            out.put(prefix, "{}");
        } else {
            out.put(prefix, node.isTextual() ? (node.asText().isEmpty() ? "\"\"" : node.asText()) : node.toString());
        }
    }
}
