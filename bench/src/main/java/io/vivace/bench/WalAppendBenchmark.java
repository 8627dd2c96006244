package io.vivace.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.ingester.IngesterConfig;
import io.vivace.ingester.RocksDbWal;
import java.time.Duration;
import java.util.Random;
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
 * {@link RocksDbWal#append} with group commit and {@code sync=true}, as the ingester configures it
 * by default (at most 1,024 appends or 32 MiB per group): each append is one encoded 1,000-span
 * request of the targets.md corpus (~450 KB), and each caller waits until its append is durable
 * before issuing the next, like a push waiting for its acknowledgement. {@code callers01},
 * {@code callers08} and {@code callers64} run 1, 8 and 64 such callers (JMH threads) against one WAL
 * in a temporary directory.
 *
 * <p>Score: appends/s summed over all callers. <b>Spans/s = score × 1,000.</b> After each iteration
 * the WAL is released (as the ingester does once blocks are written) so the directory stays small,
 * and the fork prints {@code appends per sync} for that iteration: the WAL's own
 * {@code vivace.ingester.wal.appends} / {@code vivace.ingester.wal.syncs} counters, i.e. how many
 * appends shared one fsync.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--enable-native-access=ALL-UNNAMED"})
public class WalAppendBenchmark {
    private static final String TENANT = "single-tenant";

    private TempDirectory directory;
    private SimpleMeterRegistry registry;
    private RocksDbWal wal;
    private byte[] request;
    private double appendsBefore;
    private double syncsBefore;

    @Setup(Level.Trial)
    public void open() {
        request = Corpus.request(new Random(1), 50, 20).toByteArray();
        directory = TempDirectory.create("wal");
        registry = new SimpleMeterRegistry();
        wal = new RocksDbWal(directory.path().resolve("wal"), IngesterConfig.defaults(), registry);
        wal.start();
    }

    @Setup(Level.Iteration)
    public void markCounters() {
        appendsBefore = counter("vivace.ingester.wal.appends");
        syncsBefore = counter("vivace.ingester.wal.syncs");
    }

    @TearDown(Level.Iteration)
    public void releaseAndReport() throws Exception {
        double appends = counter("vivace.ingester.wal.appends") - appendsBefore;
        double syncs = counter("vivace.ingester.wal.syncs") - syncsBefore;
        long onDisk = wal.sizeOnDisk();
        wal.release(wal.lastSequence());
        System.out.printf("  [wal] appends=%.0f syncs=%.0f appends per sync=%.2f wal on disk before release=%.0f MB%n",
                appends, syncs, syncs == 0 ? 0 : appends / syncs, onDisk / 1e6);
    }

    @TearDown(Level.Trial)
    public void close() {
        wal.stop(Duration.ofSeconds(30));
        directory.close();
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private Long append() {
        return wal.append(TENANT, request).join();
    }

    /** One caller: every append pays a whole fsync. */
    @Benchmark
    @Threads(1)
    public Long callers01() {
        return append();
    }

    /** Eight concurrent callers sharing group commits. */
    @Benchmark
    @Threads(8)
    public Long callers08() {
        return append();
    }

    /** Sixty-four concurrent callers sharing group commits. */
    @Benchmark
    @Threads(64)
    public Long callers64() {
        return append();
    }
}
