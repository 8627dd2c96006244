package io.vivace.bench;

import io.vivace.model.wire.OtlpWireBatch;
import io.vivace.model.wire.OtlpWireScanner;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire-level fast path over one OTLP request of 1,000 spans (the targets.md corpus), the
 * counterpart of {@link OtlpDecodeBenchmark}: {@code scanAndValidate} is what the distributor does
 * per request (full structural check, span count, ID validation); {@code scanAndSplit} is what the
 * ingester does on WAL replay (full scan, then per-trace byte chunks); {@code scanValidatedAndSplit}
 * is what it does per push (framing-only scan of bytes the distributor validated, then the chunks).
 * Spans/s = ops/s × 1,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class OtlpWireScanBenchmark {
    private byte[] body;

    @Setup
    public void setup() {
        body = Corpus.request(new Random(1), 50, 20).toByteArray();
    }

    @Benchmark
    public OtlpWireBatch.IdProblem scanAndValidate() {
        OtlpWireBatch batch = OtlpWireScanner.scan(body);
        return batch.firstIdProblem();
    }

    @Benchmark
    public List<OtlpWireBatch.TraceChunk> scanValidatedAndSplit() {
        return OtlpWireScanner.scanValidated(body).splitByTrace();
    }

    @Benchmark
    public List<OtlpWireBatch.TraceChunk> scanAndSplit() {
        return OtlpWireScanner.scan(body).splitByTrace();
    }
}
