package io.vivace.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.metrics.VivaceMetrics;
import io.vivace.ingest.PushBatch;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import io.vivace.storage.StorageConfig;
import io.vivace.storage.object.InMemoryObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes requests shaped like the load target (1,000 spans of ~490 bytes, 20 spans per trace, 8
 * services, fresh trace IDs) through {@link Ingester#push} for a couple of seconds and prints spans/s.
 * A measurement, not a benchmark: it shares the machine with the build. Asserts only that no push
 * failed and that pushed traces are findable.
 */
class IngesterThroughputTest {
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.3";

    @TempDir
    Path dir;

    @Test
    void pushThroughput() throws Exception {
        StorageConfig d = StorageConfig.defaults();
        StorageConfig storage = new StorageConfig(new StorageConfig.Trace("local", new StorageConfig.Local(dir.resolve("b").toString()),
                new StorageConfig.Wal(dir.resolve("wal").toString()), d.trace().block(), d.trace().blocklistPoll()));
        OverridesConfig unlimited = new OverridesConfig(new Limits(new Limits.Ingestion("local", 1L << 40, 1L << 40, 0),
                new Limits.Global(0)), Map.of());
        MeterRegistry registry = VivaceMetrics.newRegistry();
        Ingester ingester = new Ingester(IngesterConfig.defaults(), storage, unlimited, new InMemoryObjectStore(), registry);
        ingester.start();
        try {
            List<PushBatch> batches = new ArrayList<>();
            for (int b = 0; b < 32; b++) {
                batches.add(request(b));
            }
            int bytesPerSpan = batches.get(0).encoded().length / batches.get(0).spanCount();
            AtomicLong spans = new AtomicLong();
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            int clients = 8;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            long t0 = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    Semaphore window = new Semaphore(2);
                    for (int i = client; System.nanoTime() < end; i += clients) {
                        window.acquireUninterruptibly();
                        PushBatch batch = batches.get(i % batches.size());
                        ingester.push(batch).whenComplete((ok, e) -> {
                            if (e != null) {
                                errors.add(e);
                            } else {
                                spans.addAndGet(batch.spanCount());
                            }
                            window.release();
                        });
                    }
                    window.acquireUninterruptibly(2);
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(errors).isEmpty();
            assertThat(ingester.find("single-tenant", traceId(0, 0), 0, 0).resourceSpans()).isNotEmpty();
            double syncs = registry.get("vivace.ingester.wal.syncs").counter().count();
            double appends = registry.get("vivace.ingester.wal.appends").counter().count();
            System.out.printf("ingester push: %d clients x 2 in flight, 1000 spans/request (%d B/span): %.0f spans/s, %.1f MB/s,"
                    + " %.1f requests/sync%n", clients, bytesPerSpan, spans.get() / seconds, spans.get() * bytesPerSpan / seconds / 1e6,
                    appends / syncs);
        } finally {
            ingester.haltWithoutFlush();
        }
    }

    private static TraceId traceId(int batch, int trace) {
        return new TraceId(0x5000_0000_0000_0000L + batch, trace + 1);
    }

    /** 50 traces × 20 spans over 8 services. (Trace IDs repeat across rounds: the test measures push, not cardinality.) */
    private static PushBatch request(int batch) {
        List<ResourceSpans> resources = new ArrayList<>();
        for (int service = 0; service < 8; service++) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.http"));
            for (int trace = 0; trace < 50; trace++) {
                for (int s = 0; s < 20; s++) {
                    if (s % 8 != service) {
                        continue;
                    }
                    long start = TestSpans.BASE_NANOS + trace * 1_000_000L + s * 1000L;
                    scope.addSpans(Span.newBuilder()
                            .setTraceId(traceId(batch, trace).toByteString())
                            .setSpanId(SpanIds.toByteString(trace * 100L + s + 1))
                            .setParentSpanId(SpanIds.toByteString(s == 0 ? 0 : trace * 100L + 1))
                            .setName("GET /api/v1/items/{id}")
                            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                            .setStartTimeUnixNano(start)
                            .setEndTimeUnixNano(start + 5_000_000L)
                            .addAttributes(kv("http.method", "GET"))
                            .addAttributes(kv("http.route", "/api/v1/items/{id}"))
                            .addAttributes(kv("http.url", "https://shop.example.com/api/v1/items/" + trace))
                            .addAttributes(kv("http.status_code", "200"))
                            .addAttributes(kv("http.user_agent", UA))
                            .addAttributes(kv("net.peer.ip", "10.0.0." + s))
                            .addAttributes(kv("http.flavor", "1.1"))
                            .addAttributes(kv("http.scheme", "https")));
                }
            }
            resources.add(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(kv("service.name", "service-" + service)))
                    .addScopeSpans(scope).build());
        }
        return TestSpans.batch("single-tenant", resources);
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
