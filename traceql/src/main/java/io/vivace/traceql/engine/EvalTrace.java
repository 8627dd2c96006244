package io.vivace.traceql.engine;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One trace (or the piece of it one source holds) as the engine evaluates it: its spans in start
 * order with nested-set numbers, and the trace-level intrinsics.
 *
 * <p>Nested sets follow Tempo and {@code storage/FORMAT.md}: roots are spans with an empty parent
 * ID; each tree is walked depth-first with children in start order; one counter from 1 runs across
 * all roots; orphans (parent not in this piece) and their descendants stay unnumbered and never
 * match a structural operator.
 */
public final class EvalTrace {
    private static final Comparator<Span> START_ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.getStartTimeUnixNano(), b.getStartTimeUnixNano());
        return c != 0 ? c : Long.compareUnsigned(SpanIds.toLong(a.getSpanId()), SpanIds.toLong(b.getSpanId()));
    };

    private final TraceId id;
    private final List<EvalSpan> spans;
    /** The same spans as an array, shared (never modified) by the evaluator's spansets. */
    private final EvalSpan[] spanArray;
    private final String rootServiceName;
    private final String rootSpanName;
    private final long startNanos;
    private final long endNanos;

    private EvalTrace(TraceId id, List<ResourceSpans> combined) {
        this.id = id;
        record Raw(Span span, io.opentelemetry.proto.resource.v1.Resource resource,
                io.opentelemetry.proto.common.v1.InstrumentationScope scope) {
        }
        List<Raw> raw = new ArrayList<>();
        for (ResourceSpans rs : combined) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    raw.add(new Raw(s, rs.getResource(), ss.getScope()));
                }
            }
        }
        raw.sort((a, b) -> START_ORDER.compare(a.span(), b.span()));
        List<EvalSpan> list = new ArrayList<>(raw.size());
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Raw r : raw) {
            list.add(new EvalSpan(this, list.size(), r.span(), r.resource(), r.scope()));
            start = Math.min(start, r.span().getStartTimeUnixNano());
            end = Math.max(end, r.span().getEndTimeUnixNano());
        }
        this.spans = Collections.unmodifiableList(list);
        this.spanArray = list.toArray(EvalSpan[]::new);
        this.startNanos = list.isEmpty() ? 0 : start;
        this.endNanos = list.isEmpty() ? 0 : end;
        assignNestedSets(list);
        EvalSpan root = null;
        for (EvalSpan s : list) {
            if (s.span().getParentSpanId().isEmpty()) {
                root = s;
                break;
            }
        }
        this.rootServiceName = root == null ? null : serviceName(root);
        this.rootSpanName = root == null ? null : root.span().getName();
    }

    /**
     * Builds a trace from its pieces: combines them (a span seen twice is kept once, {@link
     * Traces#combine}) and numbers the spans.
     *
     * @param id the trace ID
     * @param pieces every piece of the trace this source holds, spans all with trace ID {@code id}
     */
    public static EvalTrace of(TraceId id, List<ResourceSpans> pieces) {
        Objects.requireNonNull(id, "id");
        return new EvalTrace(id, pieces.size() == 1 ? pieces : Traces.combine(pieces));
    }

    /**
     * Builds a trace from spans already free of duplicates (one block's rows: duplicates were
     * removed when the block was built), skipping {@link Traces#combine}.
     *
     * @param id the trace ID
     * @param resourceSpans the trace's spans, each span once
     */
    public static EvalTrace ofDistinct(TraceId id, List<ResourceSpans> resourceSpans) {
        Objects.requireNonNull(id, "id");
        return new EvalTrace(id, resourceSpans);
    }

    /** The trace ID. */
    public TraceId id() {
        return id;
    }

    /** The spans in start order (then span ID). */
    public List<EvalSpan> spans() {
        return spans;
    }

    /** The spans in start order as an array the caller must not modify. */
    EvalSpan[] spanArray() {
        return spanArray;
    }

    /** {@code service.name} of the first root span, or {@code null} when no root span is here. */
    public String rootServiceName() {
        return rootServiceName;
    }

    /** Name of the first root span, or {@code null} when no root span is here. */
    public String rootSpanName() {
        return rootSpanName;
    }

    /** Earliest span start, nanoseconds since the epoch. */
    public long startNanos() {
        return startNanos;
    }

    /** Latest span end, nanoseconds since the epoch. */
    public long endNanos() {
        return endNanos;
    }

    /** {@code trace:duration}: latest end − earliest start. */
    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** The first string {@code service.name} attribute of the span's resource, or {@code null}. */
    public static String serviceName(EvalSpan span) {
        for (KeyValue kv : span.resource().getAttributesList()) {
            if (kv.getKey().equals("service.name") && kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
                return kv.getValue().getStringValue();
            }
        }
        return null;
    }

    private static void assignNestedSets(List<EvalSpan> spans) {
        int n = spans.size();
        long[] ids = new long[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            ids[i] = SpanIds.toLong(spans.get(i).span().getSpanId());
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(ids[a], ids[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        long[] sortedIds = new long[n];
        int[] byId = new int[n];
        for (int i = 0; i < n; i++) {
            byId[i] = order[i];
            sortedIds[i] = ids[order[i]];
        }
        int[] parent = new int[n];
        int[] children = new int[n];
        for (int i = 0; i < n; i++) {
            Span s = spans.get(i).span();
            if (s.getParentSpanId().isEmpty()) {
                parent[i] = -1;
                continue;
            }
            if (s.getParentSpanId().size() != 8) {
                parent[i] = -2;
                continue;
            }
            long pid = SpanIds.toLong(s.getParentSpanId());
            int pos = Arrays.binarySearch(sortedIds, pid);
            if (pos < 0) {
                parent[i] = -2;
                continue;
            }
            while (pos > 0 && sortedIds[pos - 1] == pid) {
                pos--;
            }
            int p = byId[pos];
            parent[i] = p == i ? -2 : p;
            if (p != i) {
                children[p]++;
            }
        }
        int[] childStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            childStart[i + 1] = childStart[i] + children[i];
            spans.get(i).childCount = children[i];
        }
        int[] fill = Arrays.copyOf(childStart, n);
        int[] childList = new int[childStart[n]];
        for (int i = 0; i < n; i++) {
            if (parent[i] >= 0) {
                childList[fill[parent[i]]++] = i;
            }
        }
        int counter = 1;
        int[] stack = new int[n];
        int[] next = new int[n];
        boolean[] visited = new boolean[n];
        for (int r = 0; r < n; r++) {
            if (parent[r] != -1) {
                continue;
            }
            int top = 0;
            stack[top++] = r;
            visited[r] = true;
            EvalSpan root = spans.get(r);
            root.nestedSetLeft = counter++;
            root.nestedSetParent = -1;
            next[r] = childStart[r];
            while (top > 0) {
                int cur = stack[top - 1];
                if (next[cur] < childStart[cur + 1]) {
                    int c = childList[next[cur]++];
                    if (visited[c]) {
                        continue;
                    }
                    visited[c] = true;
                    EvalSpan child = spans.get(c);
                    child.nestedSetLeft = counter++;
                    child.nestedSetParent = spans.get(cur).nestedSetLeft;
                    next[c] = childStart[c];
                    stack[top++] = c;
                } else {
                    spans.get(cur).nestedSetRight = counter++;
                    top--;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "EvalTrace[" + id + ", " + spans.size() + " spans]";
    }
}
