package io.vivace.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.model.TraceId;
import io.vivace.traceql.TraceQL;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.engine.EvalTrace;
import io.vivace.traceql.engine.SearchOptions;
import io.vivace.traceql.engine.TraceSearch;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The TraceQL search engine without storage: parsing + validation of a query, and the exact
 * evaluation ({@link TraceSearch#evaluate}, the second pass of every search) over in-memory {@link
 * EvalTrace}s — 5,000 traces × 20 spans = 100,000 spans, 8 services {@code svc-0 … svc-7}, span
 * trees 4–5 levels deep (every span's parent is one of the previous spans of the trace, most often
 * the one just before), server and client spans, 3% errors, a generic string attribute {@code foo}
 * ({@code bar}, {@code baz}, {@code bor}, {@code qux}, …).
 *
 * <p>{@link #evaluate}: one operation evaluates the query on all 100,000 spans; <b>spans/s = ops/s
 * × 100,000</b>. Queries: {@code dedicated} {@code { resource.service.name = "svc-3" }}, {@code
 * regex} {@code { span.foo =~ "ba.*r" }}, {@code structural} {@code { kind = server } >> { status =
 * error }}, {@code aggregate} {@code { } | count() > 5}. Each trial prints how many traces matched,
 * so a change that alters results shows up.
 *
 * <p>{@link #parse}: one operation is {@code TraceQL.compile} of the named query (ops/s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class TraceQLBenchmark {
    static final int TRACES = 5_000;
    static final int SPANS_PER_TRACE = 20;
    static final String[] FOO = {"bar", "baz", "bor", "qux", "bazar", "quux", "b", "barbar"};

    static final Map<String, String> QUERIES = Map.of(
            "dedicated", "{ resource.service.name = \"svc-3\" }",
            "regex", "{ span.foo =~ \"ba.*r\" }",
            "structural", "{ kind = server } >> { status = error }",
            "aggregate", "{ } | count() > 5",
            "complex", "{ resource.service.name = \"svc-1\" && span.http.status_code >= 500 } | by(span.foo) | count() > 1"
                    + " with(most_recent=true)");

    @Param({"dedicated", "regex", "structural", "aggregate", "complex"})
    public String query;

    private List<EvalTrace> traces;
    private TraceSearch search;
    private String text;

    @Setup
    public void setup() {
        traces = generate(new Random(1));
        text = QUERIES.get(query);
        search = TraceSearch.prepare(TraceQL.compile(text), SearchOptions.DEFAULT);
        int matched = 0;
        for (EvalTrace t : traces) {
            if (search.evaluate(t).isPresent()) {
                matched++;
            }
        }
        System.out.printf("  [traceql] %s: %d of %d traces match%n", text, matched, traces.size());
    }

    @Benchmark
    public int evaluate() {
        int matched = 0;
        for (EvalTrace t : traces) {
            if (search.evaluate(t).isPresent()) {
                matched++;
            }
        }
        return matched;
    }

    @Benchmark
    public Query parse() {
        return TraceQL.compile(text);
    }

    /** {@link #TRACES} traces of {@link #SPANS_PER_TRACE} spans as engine traces. */
    static List<EvalTrace> generate(Random random) {
        List<EvalTrace> out = new ArrayList<>(TRACES);
        long now = 1_700_000_000_000_000_000L;
        Resource[] resources = new Resource[8];
        for (int i = 0; i < resources.length; i++) {
            resources[i] = Resource.newBuilder().addAttributes(kv("service.name", "svc-" + i))
                    .addAttributes(kv("k8s.namespace.name", "shop")).addAttributes(kv("host.name", "node-" + i)).build();
        }
        InstrumentationScope scope = InstrumentationScope.newBuilder().setName("io.opentelemetry.http").setVersion("1.0").build();
        for (int t = 0; t < TRACES; t++) {
            byte[] id = new byte[16];
            random.nextBytes(id);
            TraceId traceId = TraceId.fromBytes(id);
            ByteString tid = traceId.toByteString();
            List<List<Span>> byService = new ArrayList<>();
            for (int i = 0; i < resources.length; i++) {
                byService.add(new ArrayList<>());
            }
            long[] spanIds = new long[SPANS_PER_TRACE];
            long start = now + t * 1_000_000_000L;
            for (int s = 0; s < SPANS_PER_TRACE; s++) {
                spanIds[s] = random.nextLong() | 1;
                Span.Builder b = Span.newBuilder().setTraceId(tid).setSpanId(longBytes(spanIds[s]))
                        .setName("op-" + random.nextInt(20))
                        .setKind(random.nextInt(3) == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                        .setStartTimeUnixNano(start + s * 1_000_000L)
                        .setEndTimeUnixNano(start + s * 1_000_000L + 1_000_000L + random.nextInt(50_000_000))
                        .addAttributes(kv("foo", FOO[random.nextInt(FOO.length)]))
                        .addAttributes(kvInt("http.status_code", random.nextInt(100) < 3 ? 500 : 200))
                        .addAttributes(kv("http.method", random.nextBoolean() ? "GET" : "POST"));
                if (s > 0) {
                    // Mostly the previous span, sometimes an earlier one: trees a few levels deep.
                    int parent = random.nextInt(4) == 0 ? random.nextInt(s) : s - 1 - random.nextInt(Math.min(s, 2));
                    b.setParentSpanId(longBytes(spanIds[parent]));
                }
                if (random.nextInt(100) < 3) {
                    b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("internal error"));
                }
                byService.get(random.nextInt(resources.length)).add(b.build());
            }
            List<ResourceSpans> pieces = new ArrayList<>();
            for (int i = 0; i < resources.length; i++) {
                if (!byService.get(i).isEmpty()) {
                    pieces.add(ResourceSpans.newBuilder().setResource(resources[i])
                            .addScopeSpans(ScopeSpans.newBuilder().setScope(scope).addAllSpans(byService.get(i))).build());
                }
            }
            out.add(EvalTrace.of(traceId, pieces));
        }
        return out;
    }

    private static ByteString longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return ByteString.copyFrom(b);
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue kvInt(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
