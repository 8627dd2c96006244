package io.vivace.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.model.TraceId;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import io.vivace.storage.block.BlockSearcher;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.LocalObjectStore;
import io.vivace.traceql.TraceQL;
import io.vivace.traceql.engine.FetchRequest;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.TracePredicate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link BlockSearcher#fetch} (the storage side of a TraceQL search: index pruning, partial column
 * reads, vectorised conditions, decoding of the matching traces) over one block of {@code traces} ×
 * 20 spans of the targets.md corpus (1,000,000 spans by default) on a {@link LocalObjectStore} in a
 * temporary directory (page cache after the first reads), default writer configuration (8,192-row
 * batches), one thread, every matching trace decoded and handed to a counting sink.
 *
 * <ul>
 *   <li>{@code dedicatedEquality}: {@code { span.http.status_code = 500 }}, a dedicated Int64 column
 *       (3 % of spans; about half the traces match, so nearly every batch is also decoded to OTLP).
 *   <li>{@code dedicatedScan}: {@code { span.http.status_code = 404 }}: the same column tested row by
 *       row, but nothing matches, so nothing is decoded: the cost of the scan alone.
 *   <li>{@code genericRegex}: {@code { span.net.peer.name =~ "pay.*" }}, a generic attribute: the
 *       regex runs once per dictionary entry, rows compare codes (1 span in 7 matches, so nearly
 *       every trace is decoded).
 *   <li>{@code selective}: {@code { span.http.method = "PATCH" }}: the dictionaries show the value is
 *       absent, so only message metadata and two small dictionary columns are read per batch.
 * </ul>
 *
 * <p>Score: milliseconds per search of the whole block. <b>Spans/s = traces × 20 × 1,000 / score</b>
 * (1,000,000 spans: 10⁹ / score). At setup the fork prints, per query, the traces returned and the
 * inspected bytes as a fraction of the block's {@code data}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-opens=java.base/java.nio=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--enable-native-access=ALL-UNNAMED"})
public class BlockSearchBenchmark {
    static final int SPANS_PER_TRACE = 20;
    static final String DEDICATED = "{ span.http.status_code = 500 }";
    static final String REGEX = "{ span.net.peer.name =~ \"pay.*\" }";
    static final String SCAN = "{ span.http.status_code = 404 }";
    static final String SELECTIVE = "{ span.http.method = \"PATCH\" }";
    static final String ABSENT_URL = "{ span.http.url = \"https://shop.example.com/api/cart?session=none\" }";

    @Param("50000")
    public int traces;

    private TempDirectory directory;
    private BlockReader reader;
    private BlockSearcher searcher;
    private TracePredicate dedicated;
    private TracePredicate scan;
    private TracePredicate regex;
    private TracePredicate selective;

    @Setup(Level.Trial)
    public void writeBlock() throws IOException {
        long t0 = System.nanoTime();
        directory = TempDirectory.create("block-search");
        LocalObjectStore store = new LocalObjectStore(directory.path());
        BlockMeta meta = new BlockWriter(store, BlockWriterConfig.defaults()).write("single-tenant", UUID.randomUUID(), 0,
                new CorpusTraces(new Random(1), traces));
        reader = BlockReader.open(store, meta);
        searcher = new BlockSearcher(reader);
        dedicated = TracePredicate.of(TraceQL.compile(DEDICATED));
        scan = TracePredicate.of(TraceQL.compile(SCAN));
        regex = TracePredicate.of(TraceQL.compile(REGEX));
        selective = TracePredicate.of(TraceQL.compile(SELECTIVE));
        long data = store.size("single-tenant/" + meta.blockId() + "/data");
        reader.index();
        System.out.printf("  [block] traces=%d spans=%d batches=%d data=%d bytes (%.1f B/span), setup %d ms%n", meta.totalTraces(),
                meta.totalSpans(), meta.totalRecordBatches(), data, data / (double) meta.totalSpans(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        String oneTrace = "{ trace:id = \"" + reader.index().batches().get(7).lastTraceId().toHex() + "\" }";
        for (String q : List.of(DEDICATED, SCAN, REGEX, SELECTIVE, ABSENT_URL, oneTrace, "{ resource.service.name = \"nope\" }")) {
            FetchStats stats = new FetchStats();
            long found = search(TracePredicate.of(TraceQL.compile(q)), stats);
            System.out.printf("  [query] %s: %d traces, inspected %d bytes = %.2f%% of data, %d spans, %d traces%n", q, found,
                    stats.inspectedBytes(), 100.0 * stats.inspectedBytes() / data, stats.inspectedSpans(), stats.inspectedTraces());
        }
    }

    @TearDown(Level.Trial)
    public void delete() {
        reader.close();
        directory.close();
    }

    private long search(TracePredicate predicate, FetchStats stats) {
        long[] count = {0};
        searcher.fetch(new FetchRequest(predicate, 0, 0, () -> false), stats, t -> {
            count[0]++;
            return true;
        });
        return count[0];
    }

    @Benchmark
    public long dedicatedEquality() {
        return search(dedicated, new FetchStats());
    }

    @Benchmark
    public long dedicatedScan() {
        return search(scan, new FetchStats());
    }

    @Benchmark
    public long genericRegex() {
        return search(regex, new FetchStats());
    }

    @Benchmark
    public long selective() {
        return search(selective, new FetchStats());
    }

    /**
     * The corpus's traces (the shape of {@link Corpus#request}) with sorted random IDs, generated one
     * at a time as the writer consumes them, so that a million spans never sit in memory at once.
     */
    static final class CorpusTraces implements Iterator<TraceEntry> {
        private final TraceId[] ids;
        private final Random random;
        private final long now = System.currentTimeMillis() * 1_000_000L;
        private int next;

        CorpusTraces(Random random, int traces) {
            this.random = random;
            this.ids = new TraceId[traces];
            for (int i = 0; i < traces; i++) {
                ids[i] = new TraceId(random.nextLong(), random.nextLong());
            }
            Arrays.sort(ids);
        }

        @Override
        public boolean hasNext() {
            return next < ids.length;
        }

        @Override
        public TraceEntry next() {
            TraceId id = ids[next++];
            List<List<Span>> byService = new ArrayList<>();
            for (int i = 0; i < Corpus.SERVICES.length; i++) {
                byService.add(new ArrayList<>());
            }
            ByteString parent = ByteString.EMPTY;
            long traceStart = now + random.nextInt(3_600_000) * 1_000_000L;
            for (int s = 0; s < SPANS_PER_TRACE; s++) {
                byte[] spanId = new byte[8];
                random.nextBytes(spanId);
                spanId[0] |= 1;
                ByteString sid = ByteString.copyFrom(spanId);
                int service = s == 0 ? 0 : 1 + random.nextInt(Corpus.SERVICES.length - 1);
                long start = traceStart + s * 1_000_000L;
                String route = Corpus.ROUTES[random.nextInt(Corpus.ROUTES.length)];
                int status = random.nextInt(100) < 3 ? 500 : 200;
                Span.Builder span = Span.newBuilder().setTraceId(id.toByteString()).setSpanId(sid).setParentSpanId(parent)
                        .setName((s == 0 ? "GET " : "call ") + route)
                        .setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 1_000_000L + random.nextInt(50_000_000))
                        .addAttributes(Corpus.kv("http.method", Corpus.METHODS[random.nextInt(Corpus.METHODS.length)]))
                        .addAttributes(Corpus.kvInt("http.status_code", status))
                        .addAttributes(Corpus.kv("http.route", route))
                        .addAttributes(Corpus.kv("http.url", "https://shop.example.com" + route + "?session=" + random.nextInt(1000)))
                        .addAttributes(Corpus.kv("user_agent.original", Corpus.USER_AGENT))
                        .addAttributes(Corpus.kv("net.peer.name", Corpus.SERVICES[service] + ".svc.cluster.local"))
                        .addAttributes(Corpus.kvInt("net.peer.port", 8080))
                        .addAttributes(Corpus.kv("component", "http"));
                if (status == 500) {
                    span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("internal error"));
                }
                byService.get(service).add(span.build());
                if (s == 0) {
                    parent = sid;
                }
            }
            List<ResourceSpans> out = new ArrayList<>();
            for (int i = 0; i < Corpus.SERVICES.length; i++) {
                if (byService.get(i).isEmpty()) {
                    continue;
                }
                List<KeyValue> attributes = List.of(Corpus.kv("service.name", Corpus.SERVICES[i]), Corpus.kv("k8s.namespace.name", "shop"),
                        Corpus.kv("host.name", "node-" + i));
                out.add(ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAllAttributes(attributes))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.http").setVersion("1.0"))
                                .addAllSpans(byService.get(i)))
                        .build());
            }
            return new TraceEntry(id, out);
        }
    }
}
