package io.vivace.ingester;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.metrics.VivaceMetrics;
import io.vivace.storage.StorageConfig;
import io.vivace.storage.object.InMemoryObjectStore;
import io.vivace.traceql.engine.TraceSource;
import io.vivace.traceql.engine.testing.SearchConformanceSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/**
 * The engine's conformance suite over the ingester's recent data: once over live traces pushed one
 * resource at a time (so traces arrive in pieces), once over the same data replayed from the WAL
 * after a halt without flush.
 */
class RecentSearchConformanceTest {
    private static final String TENANT = "single-tenant";

    /** Starts ingesters on a temporary WAL; stops them and deletes the directory at the end. */
    abstract static class WithIngester extends SearchConformanceSuite {
        private final Path dir;
        final List<Ingester> running = new ArrayList<>();

        WithIngester() {
            try {
                dir = Files.createTempDirectory("vivace-recent-search");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Ingester start(InMemoryObjectStore store) {
            StorageConfig d = StorageConfig.defaults();
            StorageConfig storage = new StorageConfig(new StorageConfig.Trace("local",
                    new StorageConfig.Local(dir.resolve("blocks").toString()), new StorageConfig.Wal(dir.resolve("wal").toString()),
                    d.trace().block(), d.trace().blocklistPoll()));
            Ingester ingester = new Ingester(IngesterConfig.defaults(), storage, OverridesConfig.defaultConfig(), store,
                    VivaceMetrics.newRegistry());
            ingester.start();
            running.add(ingester);
            return ingester;
        }

        static void push(Ingester ingester, List<ResourceSpans> data) {
            try {
                for (ResourceSpans rs : data) {
                    ingester.push(TestSpans.batch(TENANT, rs)).get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new AssertionError("push failed", e);
            }
        }

        @AfterAll
        void stopAndClean() throws IOException {
            running.forEach(i -> i.stop(Duration.ofSeconds(10)));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Nested
    class Live extends WithIngester {
        @Override
        protected TraceSource sourceOf(List<ResourceSpans> data) {
            Ingester ingester = start(new InMemoryObjectStore());
            push(ingester, data);
            return ingester.recentTraces(TENANT);
        }
    }

    @Nested
    class ReplayedFromWal extends WithIngester {
        @Override
        protected TraceSource sourceOf(List<ResourceSpans> data) {
            InMemoryObjectStore store = new InMemoryObjectStore();
            Ingester first = start(store);
            push(first, data);
            first.haltWithoutFlush();
            running.remove(first);
            return start(store).recentTraces(TENANT);
        }
    }
}
