package io.vivace.ingester;

import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.metrics.VivaceMetrics;
import io.vivace.storage.StorageConfig;
import io.vivace.storage.object.InMemoryObjectStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Child process of {@link KillNineTest}: runs an ingester on the given directories and pushes new
 * traces from several threads, printing {@code ACK <n>} for each acknowledged push, until it is
 * killed. Nothing is ever cut (the idle period is an hour), so every acknowledged span lives only
 * in the WAL when the kill comes.
 */
public final class PushUntilKilled {
    private PushUntilKilled() {}

    /** Args: the WAL directory, the blocks directory. */
    public static void main(String[] args) throws Exception {
        StorageConfig d = StorageConfig.defaults();
        StorageConfig storage = new StorageConfig(new StorageConfig.Trace("local", new StorageConfig.Local(args[1]),
                new StorageConfig.Wal(args[0]), d.trace().block(), d.trace().blocklistPoll()));
        IngesterConfig config = new IngesterConfig(Duration.ofHours(1), Duration.ofHours(2), IngesterConfig.DEFAULT_MAX_BLOCK_BYTES,
                Duration.ofSeconds(1), 1, Duration.ofMinutes(15), 1024, 32L << 20, 0L);
        Ingester ingester = new Ingester(config, storage, OverridesConfig.defaultConfig(), new InMemoryObjectStore(),
                VivaceMetrics.newRegistry());
        ingester.start();
        PrintStream out = System.out;
        out.println("READY " + Path.of(args[0]));
        out.flush();
        int threads = 8;
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                // Several pushes in flight per thread, like a client with concurrent exports.
                Semaphore inFlight = new Semaphore(4);
                for (long i = 0; ; i++) {
                    long n = thread * 1_000_000L + i;
                    inFlight.acquireUninterruptibly();
                    ingester.push(TestSpans.batch("single-tenant", TestSpans.resourceSpans("svc", TestSpans.traceId(n), 1, 2)))
                            .whenComplete((ok, e) -> {
                                if (e == null) {
                                    synchronized (out) {
                                        out.println("ACK " + n);
                                        out.flush();
                                    }
                                }
                                inFlight.release();
                            });
                }
            });
            w.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
