package io.vivace.bench;

import io.vivace.model.TraceId;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.LocalObjectStore;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
 * {@link BlockReader#findTrace} over one block of {@code traces} × 20 spans of the targets.md corpus
 * (200,000 spans by default) written with the default configuration to a {@link LocalObjectStore}
 * in a temporary directory (files in the page cache after the first reads; no fsync on reads).
 *
 * <ul>
 *   <li>{@code warmHit}: a random present trace through one long-lived reader, whose bloom shards
 *       and index are already loaded: one bloom check, one index search, one record batch read by
 *       byte range and decoded.
 *   <li>{@code warmMiss}: a random absent ID through the same reader (mostly answered by the bloom
 *       filter; ~1% false positives read a batch).
 *   <li>{@code coldHit}: a random present trace through a reader opened for this lookup alone, so
 *       it also reads and parses a bloom shard and the index, as the first lookup after a block
 *       appears does.
 * </ul>
 *
 * <p>Score: sample time per lookup, with percentiles (µs). <b>Lookups/s = 10⁶ / mean score; spans/s
 * returned = 20 × lookups/s</b> (one thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--enable-native-access=ALL-UNNAMED"})
public class TraceByIdBenchmark {
    static final int SPANS_PER_TRACE = 20;
    private static final int ABSENT_IDS = 4096;

    @Param("10000")
    public int traces;

    private TempDirectory directory;
    private LocalObjectStore store;
    private BlockMeta meta;
    private BlockReader warm;
    private TraceId[] present;
    private TraceId[] absent;

    @Setup(Level.Trial)
    public void writeBlock() throws IOException {
        long t0 = System.nanoTime();
        List<TraceEntry> entries = SortedTraces.generate(new Random(1), traces, SPANS_PER_TRACE);
        present = entries.stream().map(TraceEntry::id).toArray(TraceId[]::new);
        Set<TraceId> ids = new HashSet<>(List.of(present));
        Random random = new Random(2);
        absent = new TraceId[ABSENT_IDS];
        for (int i = 0; i < absent.length; ) {
            TraceId id = new TraceId(random.nextLong(), random.nextLong());
            if (!ids.contains(id)) {
                absent[i++] = id;
            }
        }
        directory = TempDirectory.create("trace-by-id");
        store = new LocalObjectStore(directory.path());
        meta = new BlockWriter(store, BlockWriterConfig.defaults()).write("single-tenant", UUID.randomUUID(), 0, entries.iterator());
        warm = BlockReader.open(store, meta);
        // Check the block answers before measuring it.
        for (int i = 0; i < 100; i++) {
            TraceId id = present[random.nextInt(present.length)];
            Optional<TraceEntry> found = warm.findTrace(id);
            if (found.isEmpty()) {
                throw new IllegalStateException("trace " + id + " was written but not found");
            }
        }
        System.out.printf("  [block] traces=%d spans=%d size=%d bytes (%.1f B/span), setup %d ms%n", meta.totalTraces(), meta.totalSpans(),
                meta.size(), meta.size() / (double) meta.totalSpans(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @TearDown(Level.Trial)
    public void delete() {
        warm.close();
        directory.close();
    }

    @Benchmark
    public Optional<TraceEntry> warmHit() throws IOException {
        return warm.findTrace(present[ThreadLocalRandom.current().nextInt(present.length)]);
    }

    @Benchmark
    public Optional<TraceEntry> warmMiss() throws IOException {
        return warm.findTrace(absent[ThreadLocalRandom.current().nextInt(absent.length)]);
    }

    @Benchmark
    public Optional<TraceEntry> coldHit() throws IOException {
        try (BlockReader reader = BlockReader.open(store, meta)) {
            return reader.findTrace(present[ThreadLocalRandom.current().nextInt(present.length)]);
        }
    }
}
