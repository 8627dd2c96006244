package io.vivace.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    /** Listener settings: camelCase components become snake_case keys. */
    record ServerConfig(String httpListenAddress, int httpListenPort, boolean logRequests, Duration gracefulShutdownTimeout) {
        static ServerConfig defaults() {
            return new ServerConfig("0.0.0.0", 3200, false, Duration.ofSeconds(30));
        }
    }

    /** A per-tenant section: every field primitive, so a missing key cannot silently become 0. */
    record TenantLimits(long rateLimitBytes, int maxTracesPerUser) {}

    record StorageConfig(String path, List<String> endpoints, Map<String, String> labels, Duration blockRetention) {
        static StorageConfig defaults() {
            return new StorageConfig("/var/vivace", List.of("a:1", "b:2"), Map.of("env", "dev"), Duration.ofDays(14));
        }
    }

    record TestConfig(String target, boolean multitenancyEnabled, ServerConfig server, StorageConfig storage,
            Map<String, TenantLimits> perTenant) {
        static TestConfig defaults() {
            return new TestConfig("all", false, ServerConfig.defaults(), StorageConfig.defaults(), Map.of());
        }
    }

    private static final Function<String, String> NO_ENV = name -> null;

    private final ConfigLoader loader = new ConfigLoader();

    private TestConfig load(String yaml) {
        return load(yaml, Map.of());
    }

    private TestConfig load(String yaml, Map<String, String> flags) {
        return loader.load(TestConfig.class, TestConfig.defaults(), yaml, flags, NO_ENV);
    }

    // ---- defaults and YAML ----

    @Test
    void noYamlGivesTheDefaults() {
        assertThat(load(null)).isEqualTo(TestConfig.defaults());
        assertThat(load("")).isEqualTo(TestConfig.defaults());
        assertThat(load("   \n\n")).isEqualTo(TestConfig.defaults());
        assertThat(load("# only a comment\n")).isEqualTo(TestConfig.defaults());
        assertThat(load("---\n")).isEqualTo(TestConfig.defaults());
    }

    @Test
    void yamlOverridesOnlyTheKeysItNames() {
        TestConfig c = load("""
                target: querier
                server:
                  http_listen_port: 8080
                """);

        assertThat(c.target()).isEqualTo("querier");
        assertThat(c.server().httpListenPort()).isEqualTo(8080);
        // everything else keeps its default, also inside the section the YAML touched
        assertThat(c.server().httpListenAddress()).isEqualTo("0.0.0.0");
        assertThat(c.server().gracefulShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.storage()).isEqualTo(StorageConfig.defaults());
        assertThat(c.multitenancyEnabled()).isFalse();
    }

    @Test
    void yamlSetsEveryKindOfValue() {
        TestConfig c = load("""
                multitenancy_enabled: true
                server:
                  http_listen_address: 127.0.0.1
                  log_requests: true
                  graceful_shutdown_timeout: 1m30s
                storage:
                  path: /data
                  endpoints: [x:9000]
                  labels:
                    region: eu
                  block_retention: 2d
                per_tenant:
                  acme:
                    rate_limit_bytes: 1000
                    max_traces_per_user: 5
                """);

        assertThat(c.multitenancyEnabled()).isTrue();
        assertThat(c.server()).isEqualTo(new ServerConfig("127.0.0.1", 3200, true, Duration.ofSeconds(90)));
        assertThat(c.storage().path()).isEqualTo("/data");
        // lists are replaced, not appended to
        assertThat(c.storage().endpoints()).containsExactly("x:9000");
        // maps merge key by key with the defaults
        assertThat(c.storage().labels()).containsOnly(Map.entry("env", "dev"), Map.entry("region", "eu"));
        assertThat(c.storage().blockRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(c.perTenant()).containsOnlyKeys("acme");
        assertThat(c.perTenant().get("acme")).isEqualTo(new TenantLimits(1000, 5));
    }

    @Test
    void yamlDurationsAcceptBareNumbersAsSeconds() {
        assertThat(load("server: {graceful_shutdown_timeout: 5}").server().gracefulShutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(load("server: {graceful_shutdown_timeout: 0.5}").server().gracefulShutdownTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(load("server: {graceful_shutdown_timeout: \"300ms\"}").server().gracefulShutdownTimeout()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void emptySectionKeepsItsDefaults() {
        // "server:" with nothing under it is YAML null; it must not wipe the section.
        TestConfig c = load("server:\nstorage:\n  path: /x\n");

        assertThat(c.server()).isEqualTo(ServerConfig.defaults());
        assertThat(c.storage().path()).isEqualTo("/x");
    }

    @Test
    void unknownYamlKeyFailsNamingTheDottedPath() {
        assertThatThrownBy(() -> load("server:\n  foo: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'server.foo'");
        assertThatThrownBy(() -> load("nope: true\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'nope'");
        assertThatThrownBy(() -> load("per_tenant:\n  acme:\n    rate_limit_bytes: 1\n    max_traces_per_user: 1\n    burst: 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'per_tenant.acme.burst'");
    }

    @Test
    void camelCaseKeysAreUnknown() {
        // Keys are snake_case, as in Tempo; the Java component name is not an alias.
        assertThatThrownBy(() -> load("server:\n  httpListenPort: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'server.httpListenPort'");
    }

    @Test
    void wrongTypeFailsNamingTheKey() {
        assertThatThrownBy(() -> load("server:\n  http_listen_port: eighty\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'server.http_listen_port'")
                .hasMessageContaining("eighty");
        assertThatThrownBy(() -> load("server:\n  graceful_shutdown_timeout: soon\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'server.graceful_shutdown_timeout'")
                .hasMessageContaining("invalid duration \"soon\"");
        assertThatThrownBy(() -> load("server:\n  log_requests: maybe\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'server.log_requests'");
        assertThatThrownBy(() -> load("storage:\n  endpoints:\n    nested: map\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'storage.endpoints'");
        assertThatThrownBy(() -> load("server: 5\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'server'");
    }

    @Test
    void numbersOutOfRangeFailNamingTheKey() {
        assertThatThrownBy(() -> load("server:\n  http_listen_port: 99999999999\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'server.http_listen_port'");
    }

    @Test
    void missingPrimitiveKeyFailsInsteadOfBecomingZero() {
        assertThatThrownBy(() -> load("per_tenant:\n  acme:\n    rate_limit_bytes: 1000\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("per_tenant.acme.max_traces_per_user");
    }

    @Test
    void nullForPrimitiveFailsNamingTheKey() {
        assertThatThrownBy(() -> load("server:\n  http_listen_port: ~\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.http_listen_port");
    }

    @Test
    void notAMappingAtTopLevelFails() {
        assertThatThrownBy(() -> load("- a\n- b\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mapping");
        assertThatThrownBy(() -> load("just text"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void invalidYamlFails() {
        assertThatThrownBy(() -> load("server:\n  http_listen_port: [1,\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file is not valid YAML");
    }

    @Test
    void duplicateKeysFail() {
        // A key given twice is almost always a merge accident; Go's YAML decoder rejects it too.
        assertThatThrownBy(() -> load("target: a\ntarget: b\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("target");
    }

    // ---- flags ----

    @Test
    void flagsOverrideYamlByDottedPath() {
        TestConfig c = load("server:\n  http_listen_port: 8080\n  http_listen_address: 127.0.0.1\n",
                Map.of("server.http_listen_port", "9090", "target", "ingester"));

        assertThat(c.server().httpListenPort()).isEqualTo(9090);
        assertThat(c.server().httpListenAddress()).isEqualTo("127.0.0.1");
        assertThat(c.target()).isEqualTo("ingester");
    }

    @Test
    void flagTextIsCoercedToIntBooleanLongAndDuration() {
        TestConfig c = load(null, Map.of(
                "server.http_listen_port", "4000",
                "server.log_requests", "true",
                "multitenancy_enabled", "true",
                "server.graceful_shutdown_timeout", "1h2m3s",
                "storage.block_retention", "2d",
                "per_tenant.acme.rate_limit_bytes", "123456789012",
                "per_tenant.acme.max_traces_per_user", "7"));

        assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 4000, true, Duration.ofSeconds(3723)));
        assertThat(c.multitenancyEnabled()).isTrue();
        assertThat(c.storage().blockRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(c.perTenant().get("acme")).isEqualTo(new TenantLimits(123456789012L, 7));
    }

    @Test
    void flagIntoMapAddsAKey() {
        TestConfig c = load(null, Map.of("storage.labels.team", "tracing"));

        assertThat(c.storage().labels()).containsOnly(Map.entry("env", "dev"), Map.entry("team", "tracing"));
    }

    @Test
    void flagsWithBadValuesFailNamingTheKey() {
        assertThatThrownBy(() -> load(null, Map.of("server.http_listen_port", "http")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'server.http_listen_port'");
        assertThatThrownBy(() -> load(null, Map.of("server.log_requests", "yes please")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'server.log_requests'");
        assertThatThrownBy(() -> load(null, Map.of("server.graceful_shutdown_timeout", "2 days")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value for 'server.graceful_shutdown_timeout'");
    }

    @Test
    void unknownFlagFailsNamingTheDottedPath() {
        assertThatThrownBy(() -> load(null, Map.of("server.foo", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'server.foo'");
        assertThatThrownBy(() -> load(null, Map.of("nosuch.section.key", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown configuration key 'nosuch");
    }

    @Test
    void flagThroughAScalarFailsNamingThePath() {
        assertThatThrownBy(() -> load(null, Map.of("target.sub", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown configuration key 'target.sub'");
    }

    @Test
    void malformedFlagKeysFail() {
        for (String key : List.of("", ".", "server.", ".server", "server..http_listen_port")) {
            assertThatThrownBy(() -> load(null, Map.of(key, "1")))
                    .as("key '%s'", key)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'" + key + "'");
        }
    }

    @Test
    void laterFlagsWinInInsertionOrder() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("server.http_listen_port", "1");
        flags.put("server", "{}"); // replacing a section by text is a type error, not a silent reset
        assertThatThrownBy(() -> load(null, flags)).isInstanceOf(ConfigException.class).hasMessageContaining("'server'");
    }

    // ---- environment ----

    @Test
    void expandsEnvironmentVariables() {
        Map<String, String> env = Map.of("PORT", "7000", "DATA", "/mnt/data");
        TestConfig c = loader.load(TestConfig.class, TestConfig.defaults(), """
                server:
                  http_listen_port: ${PORT}
                  http_listen_address: ${HOST:-localhost}
                storage:
                  path: ${DATA}/blocks
                  labels:
                    empty: "${UNSET:-}"
                """, Map.of(), env::get);

        assertThat(c.server().httpListenPort()).isEqualTo(7000);
        assertThat(c.server().httpListenAddress()).isEqualTo("localhost");
        assertThat(c.storage().path()).isEqualTo("/mnt/data/blocks");
        assertThat(c.storage().labels()).containsEntry("empty", "");
    }

    @Test
    void setVariableWinsOverItsDefault() {
        TestConfig c = loader.load(TestConfig.class, TestConfig.defaults(), "target: ${TARGET:-all}\n", Map.of(),
                Map.of("TARGET", "distributor")::get);

        assertThat(c.target()).isEqualTo("distributor");
    }

    @Test
    void unsetVariableWithoutDefaultFailsNamingIt() {
        assertThatThrownBy(() -> loader.load(TestConfig.class, TestConfig.defaults(), "target: ${VIVACE_TARGET}\n", Map.of(), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIVACE_TARGET");
    }

    @Test
    void expansionValuesAreNotReexpandedOrTreatedAsRegexReplacement() {
        Map<String, String> env = Map.of("A", "${B}", "B", "oops", "D", "$1\\x");
        TestConfig c = loader.load(TestConfig.class, TestConfig.defaults(), "target: ${A}\nstorage: {path: '${D}'}\n",
                Map.of(), env::get);

        assertThat(c.target()).isEqualTo("${B}");
        assertThat(c.storage().path()).isEqualTo("$1\\x");
    }

    @Test
    void textWithoutPlaceholdersIsUnchanged() {
        assertThat(ConfigLoader.expandEnv("a: $HOME and ${ not closed", NO_ENV)).isEqualTo("a: $HOME and ${ not closed");
        assertThat(ConfigLoader.expandEnv("${X:-a:b}", NO_ENV)).isEqualTo("a:b");
    }

    // ---- hooks and output ----

    @Test
    void beforeBindCanCompletePartialSections() {
        Map<String, Object> seen = new HashMap<>();
        TestConfig c = loader.load(TestConfig.class, TestConfig.defaults(), """
                server:
                  http_listen_port: 1
                per_tenant:
                  acme:
                    rate_limit_bytes: 5
                """, Map.of("target", "querier"), NO_ENV, (ObjectNode tree) -> {
                    seen.put("port", tree.at("/server/http_listen_port").asInt());
                    seen.put("target", tree.get("target").asText());
                    seen.put("address", tree.at("/server/http_listen_address").asText());
                    ObjectNode acme = (ObjectNode) tree.at("/per_tenant/acme");
                    acme.put("max_traces_per_user", 10_000);
                });

        assertThat(seen).containsOnly(Map.entry("port", 1), Map.entry("target", "querier"), Map.entry("address", "0.0.0.0"));
        assertThat(c.perTenant().get("acme")).isEqualTo(new TenantLimits(5, 10_000));
    }

    @Test
    void toYamlUsesSnakeCaseAndGoDurations() {
        String yaml = loader.toYaml(TestConfig.defaults());

        assertThat(yaml).contains("http_listen_port: 3200").contains("multitenancy_enabled: false")
                .contains("graceful_shutdown_timeout: \"30s\"").contains("block_retention: \"336h\"")
                .doesNotContain("httpListenPort");
    }

    @Test
    void toYamlRoundTrips() {
        TestConfig custom = new TestConfig("querier", true,
                new ServerConfig("::1", 1, true, Duration.ofMillis(1500)),
                // map keys merge with the defaults' keys (as Go's YAML decoder fills an existing map), so keep "env"
                new StorageConfig("/tmp/x", List.of("e1", "e2", "e3"), Map.of("env", "prod", "k", "v"), Duration.ofNanos(1)),
                Map.of("acme", new TenantLimits(Long.MAX_VALUE, Integer.MIN_VALUE), "t.2", new TenantLimits(0, 0)));

        String yaml = loader.toYaml(custom);
        TestConfig back = loader.load(TestConfig.class, TestConfig.defaults(), yaml, Map.of(), NO_ENV);

        assertThat(back).isEqualTo(custom);
    }

    @Test
    void toTreeHasSnakeCaseKeys() {
        ObjectNode tree = loader.toTree(TestConfig.defaults());

        assertThat(tree.at("/server/http_listen_port").asInt()).isEqualTo(3200);
        assertThat(tree.at("/server/graceful_shutdown_timeout").asText()).isEqualTo("30s");
        assertThat(tree.at("/storage/block_retention").asText()).isEqualTo("336h");
    }

    /** A record with a derived accessor: only components are configuration keys. */
    record WithDerived(int ratePerSecond, int burst) {
        public int getDoubledRate() {
            return ratePerSecond * 2;
        }

        public boolean isUnlimited() {
            return ratePerSecond == 0;
        }
    }

    @Test
    void derivedGettersOfRecordsAreNotConfigurationKeys() {
        WithDerived d = loader.load(WithDerived.class, new WithDerived(1, 2), "burst: 3\n", Map.of(), NO_ENV);

        assertThat(d).isEqualTo(new WithDerived(1, 3));
        assertThat(loader.toYaml(d)).doesNotContain("doubled").doesNotContain("unlimited");
    }

    record Credentials(String accessKey, String secretKey, String sessionToken, String password) {}

    record WithCredentials(String name, Credentials s3) {}

    @Test
    void printedConfigurationRedactsSecrets() {
        String yaml = new ConfigLoader().toRedactedYaml(new WithCredentials("x", new Credentials("AKIA1", "s3cr3t", "", "hunter2")));
        assertThat(yaml).contains("access_key: \"AKIA1\"").contains("secret_key: \"<redacted>\"").contains("password: \"<redacted>\"")
                .contains("session_token: \"\"").doesNotContain("s3cr3t").doesNotContain("hunter2");
    }
}
