package io.vivace.bench;

import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.InMemoryObjectStore;
import java.io.IOException;
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
 * {@link BlockWriter#write} of one block of {@code traces} × 20 spans of the targets.md corpus
 * (100,000 spans by default) into an {@link InMemoryObjectStore}, with the default writer
 * configuration (8,192 rows per batch, ZSTD, 1% bloom filters): traces already sorted and combined
 * as the ingester hands them over, so the score is the encoding (layout, Arrow vectors, compression,
 * index, bloom filters), not disk I/O. A fresh store per operation keeps blocks from piling up.
 *
 * <p>Score: milliseconds per block. <b>Spans/s = traces × 20 × 1,000 / score</b> (100,000 spans:
 * 10⁸ / score). After the trial the fork prints the block's size and <b>bytes per span</b> (all of
 * its objects: data, index, bloom shards, meta), the storage target's figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--enable-native-access=ALL-UNNAMED"})
public class BlockBuildBenchmark {
    static final int SPANS_PER_TRACE = 20;

    @Param("5000")
    public int traces;

    private List<TraceEntry> entries;
    private BlockWriterConfig config;
    private volatile BlockMeta last;

    @Setup(Level.Trial)
    public void generate() {
        entries = SortedTraces.generate(new Random(1), traces, SPANS_PER_TRACE);
        config = BlockWriterConfig.defaults();
    }

    @Benchmark
    public BlockMeta write() throws IOException {
        BlockMeta meta = new BlockWriter(new InMemoryObjectStore(), config).write("single-tenant", UUID.randomUUID(), 0, entries.iterator());
        last = meta;
        return meta;
    }

    @TearDown(Level.Trial)
    public void report() {
        BlockMeta m = last;
        if (m != null) {
            System.out.printf("  [block] traces=%d spans=%d batches=%d bloom shards=%d size=%d bytes => %.1f bytes per span%n",
                    m.totalTraces(), m.totalSpans(), m.totalRecordBatches(), m.bloomShards(), m.size(), m.size() / (double) m.totalSpans());
        }
    }
}
