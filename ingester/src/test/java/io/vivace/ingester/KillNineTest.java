package io.vivace.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.metrics.VivaceMetrics;
import io.vivace.model.Traces;
import io.vivace.storage.StorageConfig;
import io.vivace.storage.object.InMemoryObjectStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every acknowledged push survives {@code kill -9} of the process that acknowledged it. */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedPushIsFoundAfterKillNine() throws Exception {
        Path walDir = dir.resolve("wal");
        Path blocksDir = dir.resolve("blocks");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), PushUntilKilled.class.getName(), walDir.toString(), blocksDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<Long> acked = new ArrayList<>();
        boolean ready = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("READY")) {
                    ready = true;
                } else if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.substring(4)));
                    if (acked.size() == 400 || System.nanoTime() > deadline) {
                        // Literally kill -9 (Process.destroyForcibly would also close our end of
                        // the pipe, losing the acknowledgements still buffered in it).
                        new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start().waitFor();
                        deadline = Long.MAX_VALUE;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(ready).as("child started").isTrue();
        assertThat(child.exitValue()).as("killed, not exited").isNotZero();
        assertThat(acked).hasSizeGreaterThanOrEqualTo(400);

        StorageConfig d = StorageConfig.defaults();
        StorageConfig storage = new StorageConfig(new StorageConfig.Trace("local", new StorageConfig.Local(blocksDir.toString()),
                new StorageConfig.Wal(walDir.toString()), d.trace().block(), d.trace().blocklistPoll()));
        Ingester restarted = new Ingester(IngesterConfig.defaults(), storage, OverridesConfig.defaultConfig(), new InMemoryObjectStore(),
                VivaceMetrics.newRegistry());
        restarted.start();
        try {
            List<Long> missing = new ArrayList<>();
            for (long n : acked) {
                var found = restarted.find("single-tenant", TestSpans.traceId(n), 0, 0);
                if (TestSpans.spanIds(Traces.combine(found.resourceSpans())).size() != 2) {
                    missing.add(n);
                }
            }
            assertThat(missing).as("acknowledged traces lost by kill -9").isEmpty();
            System.out.printf("kill -9: %d acknowledged pushes, all found after replay%n", acked.size());
        } finally {
            restarted.stop(Duration.ofSeconds(1));
        }
    }
}
