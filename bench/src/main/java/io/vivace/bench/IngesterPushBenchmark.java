package io.vivace.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.ingest.PushBatch;
import io.vivace.ingester.Ingester;
import io.vivace.ingester.IngesterConfig;
import io.vivace.storage.StorageConfig;
import io.vivace.storage.object.LocalObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ingester's whole push path, {@link Ingester#push}: split the batch by trace and encode each
 * trace's pieces, check limits and reserve, append to the RocksDB WAL (group commit, synced), then
 * append the pieces to the live traces. Each push is a 1,000-span batch of the targets.md corpus
 * (50 traces × 20 spans) with fresh trace IDs, and each caller waits for its push to complete (the
 * acknowledgement) before the next. The ingester runs with its defaults (traces idle after 10 s,
 * blocks written to a {@link LocalObjectStore} in a temporary directory by its own flush loop, as in
 * the server), except {@code max_traces_per_user}, which is unlimited as in a load test with raised
 * limits. The fork's heap is 4 GiB, not the server's 1 GiB: without HTTP and decoding, pushes run
 * faster than in the server, and 10 s of them stay live (about 1.5 GB at 300 pushes/s); memory
 * under load is {@code run-load.sh}'s business, this measures the CPU and fsync cost of a push.
 *
 * <p>Decoding is not measured (see {@link OtlpDecodeBenchmark}): every caller decodes one request
 * once, with aliasing, so that the decoded spans' trace-ID {@code ByteString}s share the bytes of the
 * encoded request; writing fresh IDs into those bytes before each push changes both the decoded and
 * the encoded batch, at the cost of 50 × 16 random bytes.
 *
 * <p>Score: pushes/s summed over all callers. <b>Spans/s = score × 1,000.</b> Each iteration prints
 * the live traces, the bytes held in memory and the blocks written so far.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx4g", "-XX:+UseG1GC", "-XX:MaxDirectMemorySize=512m"})
public class IngesterPushBenchmark {
    static final String TENANT = "single-tenant";
    static final int TRACES_PER_BATCH = 50;
    static final int SPANS_PER_TRACE = 20;

    private TempDirectory directory;
    private SimpleMeterRegistry registry;
    private Ingester ingester;
    LoadTool.Template template;

    @Setup(Level.Trial)
    public void start() throws IOException {
        template = LoadTool.Template.of(Corpus.request(new Random(1), TRACES_PER_BATCH, SPANS_PER_TRACE));
        directory = TempDirectory.create("ingester");
        StorageConfig defaults = StorageConfig.defaults();
        StorageConfig storage = new StorageConfig(new StorageConfig.Trace("local",
                new StorageConfig.Local(directory.path().resolve("blocks").toString()),
                new StorageConfig.Wal(directory.path().resolve("wal").toString()),
                defaults.trace().block(), defaults.trace().blocklistPoll()));
        Limits limits = Limits.defaults();
        Limits unlimitedTraces = new Limits(new Limits.Ingestion(limits.ingestion().rateStrategy(), limits.ingestion().rateLimitBytes(),
                limits.ingestion().burstSizeBytes(), 0), limits.global());
        registry = new SimpleMeterRegistry();
        ingester = new Ingester(IngesterConfig.defaults(), storage, new OverridesConfig(unlimitedTraces, Map.of()),
                new LocalObjectStore(directory.path().resolve("blocks")), registry);
        ingester.start();
    }

    @TearDown(Level.Iteration)
    public void report() {
        System.out.printf("  [ingester] live traces=%.0f in memory=%.0f MB blocks written=%.0f (%.1f MB)%n",
                registry.get("vivace.ingester.live.traces").gauge().value(),
                registry.get("vivace.ingester.memory.bytes").gauge().value() / 1e6,
                registry.get("vivace.ingester.blocks.flushed").counter().count(),
                registry.get("vivace.ingester.flushed.bytes").counter().count() / 1e6);
    }

    @TearDown(Level.Trial)
    public void stop() {
        long t0 = System.nanoTime();
        ingester.stop(Duration.ofMinutes(2));
        System.out.printf("  [ingester] stop (writes every live trace) took %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        directory.close();
    }

    /** One caller's batch: an encoded request and its decoded spans, which alias the trace-ID bytes. */
    @State(Scope.Thread)
    public static class Batch {
        byte[] encoded;
        List<ResourceSpans> resourceSpans;
        int[][] traceIdOffsets;
        int spans;

        @Setup(Level.Trial)
        public void decode(IngesterPushBenchmark bench) throws IOException {
            encoded = bench.template.bytes.clone();
            traceIdOffsets = bench.template.traceIdOffsets;
            spans = bench.template.spanCount;
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(encoded).newCodedInput();
            in.enableAliasing(true);
            resourceSpans = ExportTraceServiceRequest.parseFrom(in).getResourceSpansList();
            // Without aliasing every push would repeat the same IDs: check that it took effect.
            byte[] before = firstTraceId();
            freshIds();
            if (Arrays.equals(before, firstTraceId())) {
                throw new IllegalStateException("decoded trace IDs do not alias the encoded request (protobuf changed how it aliases)");
            }
        }

        private byte[] firstTraceId() {
            return resourceSpans.get(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray();
        }

        void freshIds() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            byte[] id = new byte[16];
            for (int[] places : traceIdOffsets) {
                r.nextBytes(id);
                id[0] |= 1;
                for (int p : places) {
                    System.arraycopy(id, 0, encoded, p, 16);
                }
            }
        }
    }

    private Void push(Batch batch) {
        batch.freshIds();
        // push() copies what it keeps (the WAL entry, each trace's encoded pieces) before it returns.
        return ingester.push(new PushBatch(TENANT, batch.resourceSpans, batch.encoded, batch.spans)).join();
    }

    /** One caller: every push waits for its own fsync. */
    @Benchmark
    @Threads(1)
    public Void callers01(Batch batch) {
        return push(batch);
    }

    /** Eight concurrent callers. */
    @Benchmark
    @Threads(8)
    public Void callers08(Batch batch) {
        return push(batch);
    }

    /** Sixty-four concurrent callers. */
    @Benchmark
    @Threads(64)
    public Void callers64(Batch batch) {
        return push(batch);
    }
}
