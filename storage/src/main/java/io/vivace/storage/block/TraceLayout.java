package io.vivace.storage.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One trace laid out for writing: its spans in row order (start time, then span ID), the nested-set
 * numbers, the trace-level values, and each resource's dedicated and generic attributes computed
 * once rather than per span.
 */
final class TraceLayout {
    private static final Comparator<Row> ROW_ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.start, b.start);
        return c != 0 ? c : Long.compareUnsigned(a.spanId, b.spanId);
    };

    /** Indexes of the resource-level dedicated columns by attribute key. */
    static final Map<String, Integer> RESOURCE_DEDICATED = new HashMap<>();
    /** Indexes of the span-level dedicated columns by attribute key. */
    static final Map<String, Integer> SPAN_DEDICATED = new HashMap<>();
    /** Resource-level dedicated columns, in schema order. */
    static final List<SpanColumns.Dedicated> RESOURCE_COLUMNS = new ArrayList<>();
    /** Span-level dedicated columns, in schema order. */
    static final List<SpanColumns.Dedicated> SPAN_COLUMNS = new ArrayList<>();

    static {
        for (SpanColumns.Dedicated d : SpanColumns.DEDICATED) {
            if (d.resource()) {
                RESOURCE_DEDICATED.put(d.key(), RESOURCE_COLUMNS.size());
                RESOURCE_COLUMNS.add(d);
            } else {
                SPAN_DEDICATED.put(d.key(), SPAN_COLUMNS.size());
                SPAN_COLUMNS.add(d);
            }
        }
    }

    /** One span and where it sits. */
    static final class Row {
        Span span;
        ResourceInfo resource;
        ScopeInfo scope;
        long start;
        long spanId;
        int left;
        int right;
        int parent;
        int children;
    }

    /** A resource with its dedicated values split out. */
    static final class ResourceInfo {
        final ResourceSpans resourceSpans;
        final boolean present;
        final Resource resource;
        /** String values of the dedicated resource columns (all are strings), null when absent. */
        final ByteString[] dedicated = new ByteString[RESOURCE_COLUMNS.size()];
        final List<KeyValue> generic = new ArrayList<>();
        final ByteString entityRefs;
        /** Batch whose dictionary codes {@link #codes} holds (schema URL, then the dedicated columns; -1 = null); -1 = none yet. */
        int codesBatch = -1;
        final int[] codes = new int[1 + RESOURCE_COLUMNS.size()];

        ResourceInfo(ResourceSpans rs) {
            this.resourceSpans = rs;
            this.present = rs.hasResource();
            this.resource = rs.getResource();
            for (KeyValue kv : resource.getAttributesList()) {
                Integer idx = RESOURCE_DEDICATED.get(kv.getKey());
                if (idx != null && dedicated[idx] == null && kv.hasValue() && kv.getValue().hasStringValue()
                        && !RESOURCE_COLUMNS.get(idx).isInt()) {
                    dedicated[idx] = kv.getValue().getStringValueBytes();
                } else {
                    generic.add(kv);
                }
            }
            entityRefs = resource.getEntityRefsCount() == 0 ? null
                    : Resource.newBuilder().addAllEntityRefs(resource.getEntityRefsList()).build().toByteString();
        }

        ByteString serviceName() {
            return dedicated[0];
        }
    }

    /** A scope and its schema URL. */
    static final class ScopeInfo {
        private final ScopeSpans scopeSpans;
        /** Batch whose dictionary codes {@link #codes} holds (schema URL, name, version; -1 = null); -1 = none yet. */
        int codesBatch = -1;
        final int[] codes = new int[3];

        ScopeInfo(ScopeSpans scopeSpans) {
            this.scopeSpans = scopeSpans;
        }

        ScopeSpans scopeSpans() {
            return scopeSpans;
        }
    }

    final TraceId id;
    final Row[] rows;
    final ByteString rootServiceName;
    final ByteString rootName;
    final long traceStart;
    final long traceEnd;
    /** Batch whose dictionary codes the two fields below hold (-1 = null); -1 = none yet. */
    int codesBatch = -1;
    int rootServiceCode;
    int rootNameCode;

    TraceLayout(TraceId id, List<ResourceSpans> resourceSpans) {
        this.id = id;
        List<Row> list = new ArrayList<>();
        for (ResourceSpans rs : resourceSpans) {
            ResourceInfo ri = new ResourceInfo(rs);
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                ScopeInfo si = new ScopeInfo(ss);
                for (Span span : ss.getSpansList()) {
                    checkIds(id, span);
                    Row r = new Row();
                    r.span = span;
                    r.resource = ri;
                    r.scope = si;
                    r.start = span.getStartTimeUnixNano();
                    r.spanId = SpanIds.toLong(span.getSpanId());
                    list.add(r);
                }
            }
        }
        rows = list.toArray(new Row[0]);
        Arrays.sort(rows, ROW_ORDER);
        long minStart = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        Row root = null;
        for (Row r : rows) {
            minStart = Math.min(minStart, r.start);
            maxEnd = Math.max(maxEnd, r.span.getEndTimeUnixNano());
            if (root == null && r.span.getParentSpanId().isEmpty()) {
                root = r;
            }
        }
        traceStart = rows.length == 0 ? 0 : minStart;
        traceEnd = rows.length == 0 ? 0 : maxEnd;
        rootServiceName = root == null ? null : root.resource.serviceName();
        rootName = root == null ? null : root.span.getNameBytes();
        assignNestedSets(rows);
    }

    private static void checkIds(TraceId id, Span span) {
        if (span.getSpanId().size() != 8) {
            throw new IllegalArgumentException("span_id: " + span.getSpanId().size() + " bytes in trace " + id
                    + " (expected: 8; the distributor must reject invalid span IDs)");
        }
        int parent = span.getParentSpanId().size();
        if (parent != 0 && parent != 8) {
            throw new IllegalArgumentException("parent_span_id: " + parent + " bytes in trace " + id + " (expected: 0 or 8)");
        }
        if (!TraceId.fromByteString(span.getTraceId()).equals(id) || span.getTraceId().size() != TraceId.BYTES) {
            throw new IllegalArgumentException("span trace_id: " + span.getTraceId().size() + " bytes, "
                    + TraceId.fromByteString(span.getTraceId()) + " (expected: the 16 bytes of " + id + ")");
        }
    }

    /**
     * Numbers the trace's trees depth-first, Tempo's way: left on entry, right on exit, one counter
     * from 1 across every root (a span with an empty parent ID), children in row order. A span whose
     * parent is not in the trace, and its descendants, stay unnumbered (0, 0, 0): structural
     * operators never match them, as in Tempo. child_count counts direct children, numbered or not.
     */
    static void assignNestedSets(Row[] rows) {
        int n = rows.length;
        // Resolve parents by binary search over span IDs sorted with their row index: no boxing.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = rows[i].spanId;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(keys[a], keys[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] byId = new int[n];
        long[] sortedIds = new long[n];
        for (int i = 0; i < n; i++) {
            byId[i] = order[i];
            sortedIds[i] = keys[order[i]];
        }
        int[] parentRow = new int[n];
        int[] childCount = new int[n];
        for (int i = 0; i < n; i++) {
            Span s = rows[i].span;
            if (s.getParentSpanId().isEmpty()) {
                parentRow[i] = -1;
                continue;
            }
            long pid = SpanIds.toLong(s.getParentSpanId());
            int pos = Arrays.binarySearch(sortedIds, pid);
            if (pos < 0) {
                parentRow[i] = -2; // orphan: parent not in this trace
                continue;
            }
            while (pos > 0 && sortedIds[pos - 1] == pid) {
                pos--; // duplicate span IDs (Zipkin shared spans): the first row with the ID is the parent
            }
            int p = byId[pos];
            parentRow[i] = p == i ? -2 : p;
            if (p != i) {
                childCount[p]++;
            }
        }
        // Children lists in row order (compressed sparse rows).
        int[] childStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            childStart[i + 1] = childStart[i] + childCount[i];
        }
        int[] fill = Arrays.copyOf(childStart, n);
        int[] children = new int[childStart[n]];
        for (int i = 0; i < n; i++) {
            if (parentRow[i] >= 0) {
                children[fill[parentRow[i]]++] = i;
            }
        }
        for (int i = 0; i < n; i++) {
            rows[i].children = childCount[i];
            rows[i].left = 0;
            rows[i].right = 0;
            rows[i].parent = 0;
        }
        int counter = 1;
        int[] stack = new int[n];
        int[] nextChild = new int[n];
        for (int r = 0; r < n; r++) {
            if (parentRow[r] != -1) {
                continue;
            }
            int top = 0;
            stack[top++] = r;
            rows[r].left = counter++;
            rows[r].parent = -1;
            nextChild[r] = childStart[r];
            while (top > 0) {
                int cur = stack[top - 1];
                if (nextChild[cur] < childStart[cur + 1]) {
                    int c = children[nextChild[cur]++];
                    if (rows[c].left != 0) {
                        continue; // already numbered: guards against malformed cycles
                    }
                    rows[c].left = counter++;
                    rows[c].parent = rows[cur].left;
                    nextChild[c] = childStart[c];
                    stack[top++] = c;
                } else {
                    rows[cur].right = counter++;
                    top--;
                }
            }
        }
    }
}
