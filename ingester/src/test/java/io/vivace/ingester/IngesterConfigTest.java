package io.vivace.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vivace.common.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngesterConfigTest {
    @Test
    void defaultsAreTempoLike() {
        IngesterConfig d = IngesterConfig.defaults();
        assertThat(d.traceIdlePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.maxBlockDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.maxBlockBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(d.flushCheckPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.concurrentFlushes()).isEqualTo(1);
        assertThat(d.completeBlockTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(d.walGroupCommitMaxBatch()).isEqualTo(1024);
        assertThat(d.walGroupCommitMaxBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(d.maxBytesInMemory()).isZero();
        assertThat(d.validate()).isEmpty();
    }

    @Test
    void yamlKeysAreTempoSnakeCase() {
        ObjectNode tree = new ConfigLoader().toTree(IngesterConfig.defaults());
        assertThat(tree.fieldNames()).toIterable().containsExactlyInAnyOrder("trace_idle_period", "max_block_duration",
                "max_block_bytes", "flush_check_period", "concurrent_flushes", "complete_block_timeout",
                "wal_group_commit_max_batch", "wal_group_commit_max_bytes", "max_bytes_in_memory");
        assertThat(tree.get("trace_idle_period").asText()).isEqualTo("5s");

        IngesterConfig loaded = new ConfigLoader().load(IngesterConfig.class, IngesterConfig.defaults(),
                "trace_idle_period: 7s\nmax_block_bytes: 1000\n", Map.of("concurrent_flushes", "2"), k -> null);
        assertThat(loaded.traceIdlePeriod()).isEqualTo(Duration.ofSeconds(7));
        assertThat(loaded.maxBlockBytes()).isEqualTo(1000);
        assertThat(loaded.concurrentFlushes()).isEqualTo(2);
        assertThat(loaded.maxBlockDuration()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void validateNamesEveryBadKey() {
        IngesterConfig bad = new IngesterConfig(Duration.ZERO, Duration.ofSeconds(-1), 0, Duration.ofSeconds(1), 0,
                Duration.ofMinutes(1), 0, 0, 0L);
        List<String> errors = bad.validate();
        assertThat(errors).containsExactlyInAnyOrder(
                "ingester.trace_idle_period: 0s (expected: > 0)",
                "ingester.max_block_duration: -1s (expected: > 0)",
                "ingester.max_block_bytes: 0 (expected: > 0)",
                "ingester.concurrent_flushes: 0 (expected: >= 1)",
                "ingester.wal_group_commit_max_batch: 0 (expected: >= 1)",
                "ingester.wal_group_commit_max_bytes: 0 (expected: >= 1)");
    }
}
