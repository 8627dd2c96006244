package io.vivace.traceql.engine;

import io.vivace.model.tempopb.ServiceStats;
import io.vivace.model.tempopb.TraceSearchMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Combines per-source search results into the response's trace list: results for the same trace ID
 * from several sources are merged; the final list is newest first and capped at the limit.
 * Thread-safe.
 *
 * <p>Merging two results of one trace: root service and root name come from whichever has them;
 * the start is the earlier one; the duration runs to the later of the two ends (an end is known
 * to the millisecond only: start + {@code durationMs}); spansets are appended ({@code spanSet}
 * stays the first); service stats are summed per service (the pieces of a trace held by different
 * sources hold different spans).
 *
 * <p>Selection: in first-found mode the first {@code limit} distinct traces added are kept (later
 * new trace IDs are ignored, later pieces of kept traces still merge) and {@link #isComplete}
 * turns true once there are {@code limit}; with {@code mostRecent} the newest {@code limit} are
 * kept (a trace older than all kept ones, once the limit is reached, is ignored). Results are sorted
 * by start time, newest first, then by trace ID. A trace without root gets the root service name
 * {@value #NO_ROOT}, as Tempo's query-frontend does.
 */
public final class SearchCombiner {
    /** The root service name of traces whose root span has not been seen. */
    public static final String NO_ROOT = "<root span not yet received>";

    private static final Comparator<TraceSearchMetadata> NEWEST_FIRST = Comparator
            .comparingLong(TraceSearchMetadata::getStartTimeUnixNano).reversed()
            .thenComparing(TraceSearchMetadata::getTraceID);

    private final int limit;
    private final boolean mostRecent;
    private final Map<String, TraceSearchMetadata> traces = new HashMap<>();

    /**
     * @param limit the maximum number of traces ({@code limit}); 0 = no limit
     * @param mostRecent keep the newest {@code limit} traces rather than the first found
     */
    public SearchCombiner(int limit, boolean mostRecent) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 0, 0 = no limit)");
        }
        this.limit = limit;
        this.mostRecent = mostRecent;
    }

    /** Adds one trace result. */
    public synchronized void add(TraceSearchMetadata trace) {
        Objects.requireNonNull(trace, "trace");
        TraceSearchMetadata existing = traces.get(trace.getTraceID());
        if (existing != null) {
            traces.put(trace.getTraceID(), merge(existing, trace));
            return;
        }
        if (limit == 0 || traces.size() < limit) {
            traces.put(trace.getTraceID(), trace);
            return;
        }
        if (!mostRecent) {
            return;
        }
        TraceSearchMetadata oldest = null;
        for (TraceSearchMetadata t : traces.values()) {
            if (oldest == null || NEWEST_FIRST.compare(t, oldest) > 0) {
                oldest = t;
            }
        }
        if (NEWEST_FIRST.compare(trace, oldest) < 0) {
            traces.remove(oldest.getTraceID());
            traces.put(trace.getTraceID(), trace);
        }
    }

    /** Whether more results cannot change the answer (first-found mode and the limit is met). */
    public synchronized boolean isComplete() {
        return !mostRecent && limit > 0 && traces.size() >= limit;
    }

    /** The combined traces, newest first, at most {@code limit}. */
    public synchronized List<TraceSearchMetadata> results() {
        List<TraceSearchMetadata> out = new ArrayList<>(traces.size());
        for (TraceSearchMetadata t : traces.values()) {
            out.add(t.getRootServiceName().isEmpty() ? t.toBuilder().setRootServiceName(NO_ROOT).build() : t);
        }
        out.sort(NEWEST_FIRST);
        return limit > 0 && out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    private static TraceSearchMetadata merge(TraceSearchMetadata a, TraceSearchMetadata b) {
        TraceSearchMetadata.Builder m = a.toBuilder();
        if (a.getRootServiceName().isEmpty()) {
            m.setRootServiceName(b.getRootServiceName());
        }
        if (a.getRootTraceName().isEmpty()) {
            m.setRootTraceName(b.getRootTraceName());
        }
        long start = Math.min(a.getStartTimeUnixNano(), b.getStartTimeUnixNano());
        long end = Math.max(endNanos(a), endNanos(b));
        m.setStartTimeUnixNano(start);
        m.setDurationMs((int) Math.min((end - start) / 1_000_000L, 0xFFFF_FFFFL));
        m.addAllSpanSets(b.getSpanSetsList());
        if (m.getSpanSetsCount() > 0) {
            m.setSpanSet(m.getSpanSets(0));
        }
        for (Map.Entry<String, ServiceStats> e : b.getServiceStatsMap().entrySet()) {
            ServiceStats have = a.getServiceStatsMap().get(e.getKey());
            ServiceStats add = e.getValue();
            m.putServiceStats(e.getKey(), have == null ? add : ServiceStats.newBuilder()
                    .setSpanCount(have.getSpanCount() + add.getSpanCount())
                    .setErrorCount(have.getErrorCount() + add.getErrorCount())
                    .build());
        }
        return m.build();
    }

    private static long endNanos(TraceSearchMetadata t) {
        return t.getStartTimeUnixNano() + Integer.toUnsignedLong(t.getDurationMs()) * 1_000_000L;
    }
}
