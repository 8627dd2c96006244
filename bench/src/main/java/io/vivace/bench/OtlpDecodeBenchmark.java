package io.vivace.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import java.util.List;
import java.util.Map;
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
 * Decoding one OTLP request of 1,000 spans (the targets.md corpus), alone and followed by the
 * split into per-trace pieces the ingester does. Spans/s = ops/s × 1,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class OtlpDecodeBenchmark {
    private byte[] body;

    @Setup
    public void setup() {
        body = Corpus.request(new Random(1), 50, 20).toByteArray();
    }

    @Benchmark
    public ExportTraceServiceRequest decode() throws Exception {
        return ExportTraceServiceRequest.parseFrom(body);
    }

    @Benchmark
    public Map<TraceId, List<ResourceSpans>> decodeAndSplit() throws Exception {
        return Traces.splitByTrace(ExportTraceServiceRequest.parseFrom(body).getResourceSpansList());
    }
}
