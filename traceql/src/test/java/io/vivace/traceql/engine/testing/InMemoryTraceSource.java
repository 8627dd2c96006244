package io.vivace.traceql.engine.testing;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import io.vivace.traceql.engine.EvalTrace;
import io.vivace.traceql.engine.FetchRequest;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.TracePredicate;
import io.vivace.traceql.engine.TracePredicates;
import io.vivace.traceql.engine.TraceSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A {@link TraceSource} over OTLP data held in memory: spans are grouped by trace ID (pieces of one
 * trace combined), each trace is built once as an {@link EvalTrace}, and {@link #fetch} streams the
 * traces overlapping the requested range that satisfy the request's predicate, in the order their
 * first span appeared in the data. It counts every trace and span it looks at, and the serialized
 * size of the trace's OTLP data as bytes.
 */
public final class InMemoryTraceSource implements TraceSource {
    private record Entry(EvalTrace trace, long bytes) {
    }

    private final List<Entry> traces;

    /** Groups {@code data} by trace ID. */
    public InMemoryTraceSource(List<ResourceSpans> data) {
        Map<TraceId, List<ResourceSpans>> pieces = new LinkedHashMap<>();
        for (Map.Entry<TraceId, List<ResourceSpans>> e : Traces.splitByTrace(data).entrySet()) {
            pieces.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
        }
        List<Entry> built = new ArrayList<>(pieces.size());
        pieces.forEach((id, list) -> {
            long bytes = 0;
            for (ResourceSpans rs : list) {
                bytes += rs.getSerializedSize();
            }
            built.add(new Entry(EvalTrace.of(id, list), bytes));
        });
        this.traces = List.copyOf(built);
    }

    /** The traces held, in order of first appearance. */
    public List<EvalTrace> traces() {
        return traces.stream().map(Entry::trace).toList();
    }

    @Override
    public void fetch(FetchRequest request, FetchStats stats, TraceSink sink) {
        Predicate<EvalTrace> predicate = request.predicate() instanceof TracePredicate.All ? t -> true
                : TracePredicates.compile(request.predicate());
        for (Entry e : traces) {
            if (request.cancelled().getAsBoolean()) {
                return;
            }
            EvalTrace t = e.trace();
            if (!request.overlaps(t.startNanos(), t.endNanos())) {
                continue;
            }
            stats.addTraces(1);
            stats.addSpans(t.spans().size());
            stats.addBytes(e.bytes());
            if (predicate.test(t) && !sink.accept(t)) {
                return;
            }
        }
    }
}
