package io.vivace.ingester;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import io.vivace.traceql.engine.EvalTrace;
import io.vivace.traceql.engine.FetchRequest;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.TraceSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant's recent data as a {@link TraceSource}: live traces, the head block and cut blocks not
 * yet written. Blocks already written are searched through the block list (the ingester hands each
 * written block to it), so they are not read here.
 *
 * <p>A fetch takes a snapshot of the buffers under the tenant lock (no copying: buffers are
 * append-only) and decodes outside it, so a search never blocks ingestion for long. Every piece of
 * one trace (live and head, say) is combined into one {@link EvalTrace}.
 */
final class RecentTraces implements TraceSource {
    private final TenantTraces tenant;

    RecentTraces(TenantTraces tenant) {
        this.tenant = tenant;
    }

    @Override
    public void fetch(FetchRequest request, FetchStats stats, TraceSink sink) {
        long from = request.startNanos();
        long to = request.endNanos();
        Map<TraceId, List<TraceBuffer.Snapshot>> snapshots = new LinkedHashMap<>();
        synchronized (tenant) {
            for (TenantTraces.CutBlock b : tenant.blocks) {
                if (b.state != TenantTraces.CutBlock.State.FLUSHED && b.traces != null) {
                    b.traces.forEach((id, buffer) -> add(snapshots, id, buffer, from, to));
                }
            }
            tenant.head.traces.forEach((id, buffer) -> add(snapshots, id, buffer, from, to));
            tenant.live.forEach((id, buffer) -> add(snapshots, id, buffer, from, to));
        }
        int checked = 0;
        for (Map.Entry<TraceId, List<TraceBuffer.Snapshot>> e : snapshots.entrySet()) {
            if ((++checked & 63) == 0 && request.cancelled().getAsBoolean()) {
                return;
            }
            List<ResourceSpans> pieces = new ArrayList<>();
            long bytes = 0;
            for (TraceBuffer.Snapshot s : e.getValue()) {
                pieces.addAll(s.decode());
                bytes += s.length();
            }
            EvalTrace trace = EvalTrace.of(e.getKey(), pieces);
            stats.addBytes(bytes);
            stats.addTraces(1);
            stats.addSpans(trace.spans().size());
            if (trace.spans().isEmpty() || !request.overlaps(trace.startNanos(), trace.endNanos())) {
                continue;
            }
            if (!sink.accept(trace)) {
                return;
            }
        }
    }

    private static void add(Map<TraceId, List<TraceBuffer.Snapshot>> out, TraceId id, TraceBuffer b, long from, long to) {
        if (b != null && b.length() > 0 && b.overlaps(from, to)) {
            out.computeIfAbsent(id, k -> new ArrayList<>(2)).add(b.snapshot());
        }
    }
}
