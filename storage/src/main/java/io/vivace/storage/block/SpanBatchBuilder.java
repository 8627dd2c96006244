package io.vivace.storage.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.TraceId;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Fills one record batch of span rows. The vectors are allocated once and reset after each batch,
 * so a block of any size holds at most one batch of Arrow memory while it is written.
 */
final class SpanBatchBuilder implements AutoCloseable {
    private final VectorSchemaRoot root;
    private final AttributeColumns.Scratch scratch = new AttributeColumns.Scratch();
    private final byte[] traceIdBytes = new byte[16];
    private final byte[] spanIdBytes = new byte[8];

    private final FixedSizeBinaryVector traceId;
    private final FixedSizeBinaryVector spanId;
    private final FixedSizeBinaryVector parentSpanId;
    private final VarCharVector traceState;
    private final VarCharVector name;
    private final IntVector kind;
    private final BigIntVector start;
    private final BigIntVector duration;
    private final IntVector statusCode;
    private final VarCharVector statusMessage;
    private final IntVector flags;
    private final IntVector droppedAttributes;
    private final IntVector droppedEvents;
    private final IntVector droppedLinks;
    private final IntVector nestedLeft;
    private final IntVector nestedRight;
    private final IntVector nestedParent;
    private final IntVector childCount;
    private final VarCharVector rootService;
    private final VarCharVector rootName;
    private final BigIntVector traceStart;
    private final BigIntVector traceEnd;
    private final VarCharVector resourceSchemaUrl;
    private final IntVector resourceDropped;
    private final VarBinaryVector resourceEntityRefs;
    private final VarCharVector[] resourceDedicated;
    private final AttributeColumns resourceAttributes;
    private final VarCharVector scopeName;
    private final VarCharVector scopeVersion;
    private final VarCharVector scopeSchemaUrl;
    private final IntVector scopeDropped;
    private final AttributeColumns scopeAttributes;
    private final FieldVector[] spanDedicated;
    private final AttributeColumns spanAttributes;
    private final ListVector events;
    private final StructVector eventStruct;
    private final BigIntVector eventTime;
    private final VarCharVector eventName;
    private final IntVector eventDropped;
    private final AttributeColumns eventAttributes;
    private final ListVector links;
    private final StructVector linkStruct;
    private final VarBinaryVector linkTraceId;
    private final VarBinaryVector linkSpanId;
    private final VarCharVector linkTraceState;
    private final IntVector linkFlags;
    private final IntVector linkDropped;
    private final AttributeColumns linkAttributes;

    private final ByteString[] spanDedicatedStrings = new ByteString[TraceLayout.SPAN_COLUMNS.size()];
    private final long[] spanDedicatedInts = new long[TraceLayout.SPAN_COLUMNS.size()];
    private final boolean[] spanDedicatedSet = new boolean[TraceLayout.SPAN_COLUMNS.size()];

    private int rows;
    private int eventCount;
    private int linkCount;
    final BatchStats stats = new BatchStats();

    SpanBatchBuilder(BufferAllocator allocator, int rowsPerBatch) {
        root = VectorSchemaRoot.create(SpanColumns.SCHEMA, allocator);
        root.getFieldVectors().forEach(v -> v.setInitialCapacity(rowsPerBatch));
        root.allocateNew();
        traceId = vector(SpanColumns.TRACE_ID);
        spanId = vector(SpanColumns.SPAN_ID);
        parentSpanId = vector(SpanColumns.PARENT_SPAN_ID);
        traceState = vector(SpanColumns.TRACE_STATE);
        name = vector(SpanColumns.NAME);
        kind = vector(SpanColumns.KIND);
        start = vector(SpanColumns.START_TIME_UNIX_NANO);
        duration = vector(SpanColumns.DURATION_NANO);
        statusCode = vector(SpanColumns.STATUS_CODE);
        statusMessage = vector(SpanColumns.STATUS_MESSAGE);
        flags = vector(SpanColumns.FLAGS);
        droppedAttributes = vector(SpanColumns.DROPPED_ATTRIBUTES_COUNT);
        droppedEvents = vector(SpanColumns.DROPPED_EVENTS_COUNT);
        droppedLinks = vector(SpanColumns.DROPPED_LINKS_COUNT);
        nestedLeft = vector(SpanColumns.NESTED_SET_LEFT);
        nestedRight = vector(SpanColumns.NESTED_SET_RIGHT);
        nestedParent = vector(SpanColumns.NESTED_SET_PARENT);
        childCount = vector(SpanColumns.CHILD_COUNT);
        rootService = vector(SpanColumns.TRACE_ROOT_SERVICE);
        rootName = vector(SpanColumns.TRACE_ROOT_NAME);
        traceStart = vector(SpanColumns.TRACE_START_UNIX_NANO);
        traceEnd = vector(SpanColumns.TRACE_END_UNIX_NANO);
        resourceSchemaUrl = vector(SpanColumns.RESOURCE_SCHEMA_URL);
        resourceDropped = vector(SpanColumns.RESOURCE_DROPPED_ATTRIBUTES_COUNT);
        resourceEntityRefs = vector(SpanColumns.RESOURCE_ENTITY_REFS);
        resourceDedicated = new VarCharVector[TraceLayout.RESOURCE_COLUMNS.size()];
        for (int i = 0; i < resourceDedicated.length; i++) {
            resourceDedicated[i] = vector(TraceLayout.RESOURCE_COLUMNS.get(i).column());
        }
        resourceAttributes = new AttributeColumns(vector(SpanColumns.RESOURCE_ATTRIBUTES), scratch);
        scopeName = vector(SpanColumns.SCOPE_NAME);
        scopeVersion = vector(SpanColumns.SCOPE_VERSION);
        scopeSchemaUrl = vector(SpanColumns.SCOPE_SCHEMA_URL);
        scopeDropped = vector(SpanColumns.SCOPE_DROPPED_ATTRIBUTES_COUNT);
        scopeAttributes = new AttributeColumns(vector(SpanColumns.SCOPE_ATTRIBUTES), scratch);
        spanDedicated = new FieldVector[TraceLayout.SPAN_COLUMNS.size()];
        for (int i = 0; i < spanDedicated.length; i++) {
            spanDedicated[i] = vector(TraceLayout.SPAN_COLUMNS.get(i).column());
        }
        spanAttributes = new AttributeColumns(vector(SpanColumns.SPAN_ATTRIBUTES), scratch);
        events = vector(SpanColumns.EVENTS);
        eventStruct = (StructVector) events.getDataVector();
        eventTime = eventStruct.getChild(SpanColumns.EVENT_TIME_UNIX_NANO, BigIntVector.class);
        eventName = eventStruct.getChild(SpanColumns.EVENT_NAME, VarCharVector.class);
        eventDropped = eventStruct.getChild(SpanColumns.CHILD_DROPPED_ATTRIBUTES_COUNT, IntVector.class);
        eventAttributes = new AttributeColumns(eventStruct.getChild(SpanColumns.CHILD_ATTRIBUTES, ListVector.class), scratch);
        links = vector(SpanColumns.LINKS);
        linkStruct = (StructVector) links.getDataVector();
        linkTraceId = linkStruct.getChild(SpanColumns.LINK_TRACE_ID, VarBinaryVector.class);
        linkSpanId = linkStruct.getChild(SpanColumns.LINK_SPAN_ID, VarBinaryVector.class);
        linkTraceState = linkStruct.getChild(SpanColumns.LINK_TRACE_STATE, VarCharVector.class);
        linkFlags = linkStruct.getChild(SpanColumns.LINK_FLAGS, IntVector.class);
        linkDropped = linkStruct.getChild(SpanColumns.CHILD_DROPPED_ATTRIBUTES_COUNT, IntVector.class);
        linkAttributes = new AttributeColumns(linkStruct.getChild(SpanColumns.CHILD_ATTRIBUTES, ListVector.class), scratch);
    }

    @SuppressWarnings("unchecked")
    private <V extends FieldVector> V vector(String column) {
        return (V) root.getVector(column);
    }

    /** The root the IPC writer unloads. */
    VectorSchemaRoot root() {
        return root;
    }

    /** Rows added since the last reset. */
    int rows() {
        return rows;
    }

    /** Appends row {@code index} of {@code trace}. */
    void add(TraceLayout trace, int index) {
        TraceLayout.Row r = trace.rows[index];
        Span s = r.span;
        int i = rows++;
        trace.id.writeTo(traceIdBytes, 0);
        traceId.setSafe(i, traceIdBytes);
        s.getSpanId().copyTo(spanIdBytes, 0);
        spanId.setSafe(i, spanIdBytes);
        if (!s.getParentSpanId().isEmpty()) {
            s.getParentSpanId().copyTo(spanIdBytes, 0);
            parentSpanId.setSafe(i, spanIdBytes);
        }
        setOptional(traceState, i, s.getTraceStateBytes());
        scratch.setUtf8(name, i, s.getNameBytes());
        kind.setSafe(i, s.getKindValue());
        long dur = s.getEndTimeUnixNano() - r.start;
        start.setSafe(i, r.start);
        duration.setSafe(i, dur);
        if (s.hasStatus()) {
            statusCode.setSafe(i, s.getStatus().getCodeValue());
            setOptional(statusMessage, i, s.getStatus().getMessageBytes());
        }
        flags.setSafe(i, s.getFlags());
        droppedAttributes.setSafe(i, s.getDroppedAttributesCount());
        droppedEvents.setSafe(i, s.getDroppedEventsCount());
        droppedLinks.setSafe(i, s.getDroppedLinksCount());
        nestedLeft.setSafe(i, r.left);
        nestedRight.setSafe(i, r.right);
        nestedParent.setSafe(i, r.parent);
        childCount.setSafe(i, r.children);
        if (trace.rootServiceName != null) {
            scratch.setUtf8(rootService, i, trace.rootServiceName);
        }
        if (trace.rootName != null) {
            scratch.setUtf8(rootName, i, trace.rootName);
        }
        traceStart.setSafe(i, trace.traceStart);
        traceEnd.setSafe(i, trace.traceEnd);

        TraceLayout.ResourceInfo res = r.resource;
        setOptional(resourceSchemaUrl, i, res.resourceSpans.getSchemaUrlBytes());
        if (res.present) {
            resourceDropped.setSafe(i, res.resource.getDroppedAttributesCount());
        }
        if (res.entityRefs != null) {
            scratch.setBinary(resourceEntityRefs, i, res.entityRefs);
        }
        for (int d = 0; d < resourceDedicated.length; d++) {
            if (res.dedicated[d] != null) {
                scratch.setUtf8(resourceDedicated[d], i, res.dedicated[d]);
            }
        }
        resourceAttributes.writeAll(i, res.generic);

        ScopeSpans ss = r.scope.scopeSpans();
        setOptional(scopeSchemaUrl, i, ss.getSchemaUrlBytes());
        if (ss.hasScope()) {
            setOptional(scopeName, i, ss.getScope().getNameBytes());
            setOptional(scopeVersion, i, ss.getScope().getVersionBytes());
            scopeDropped.setSafe(i, ss.getScope().getDroppedAttributesCount());
        }
        scopeAttributes.writeAll(i, ss.getScope().getAttributesList());

        writeSpanAttributes(i, s.getAttributesList());
        writeEvents(i, s);
        writeLinks(i, s);

        stats.add(trace.id, r, dur, s, res.serviceName());
    }

    private void writeSpanAttributes(int row, List<KeyValue> attributes) {
        java.util.Arrays.fill(spanDedicatedSet, false);
        spanAttributes.start(row);
        for (int a = 0, n = attributes.size(); a < n; a++) {
            KeyValue kv = attributes.get(a);
            Integer idx = TraceLayout.SPAN_DEDICATED.get(kv.getKey());
            if (idx != null && !spanDedicatedSet[idx] && kv.hasValue()) {
                boolean isInt = TraceLayout.SPAN_COLUMNS.get(idx).isInt();
                if (isInt && kv.getValue().hasIntValue()) {
                    spanDedicatedSet[idx] = true;
                    spanDedicatedInts[idx] = kv.getValue().getIntValue();
                    continue;
                }
                if (!isInt && kv.getValue().hasStringValue()) {
                    spanDedicatedSet[idx] = true;
                    spanDedicatedStrings[idx] = kv.getValue().getStringValueBytes();
                    continue;
                }
            }
            spanAttributes.add(kv);
        }
        spanAttributes.end(row);
        for (int d = 0; d < spanDedicated.length; d++) {
            if (spanDedicatedSet[d]) {
                if (spanDedicated[d] instanceof BigIntVector v) {
                    v.setSafe(row, spanDedicatedInts[d]);
                } else {
                    scratch.setUtf8((VarCharVector) spanDedicated[d], row, spanDedicatedStrings[d]);
                }
            }
        }
    }

    private void writeEvents(int row, Span s) {
        events.startNewValue(row);
        for (Span.Event e : s.getEventsList()) {
            int j = eventCount++;
            eventStruct.setIndexDefined(j);
            eventTime.setSafe(j, e.getTimeUnixNano());
            scratch.setUtf8(eventName, j, e.getNameBytes());
            eventDropped.setSafe(j, e.getDroppedAttributesCount());
            eventAttributes.writeAll(j, e.getAttributesList());
        }
        events.endValue(row, s.getEventsCount());
    }

    private void writeLinks(int row, Span s) {
        links.startNewValue(row);
        for (Span.Link l : s.getLinksList()) {
            int j = linkCount++;
            linkStruct.setIndexDefined(j);
            scratch.setBinary(linkTraceId, j, l.getTraceId());
            scratch.setBinary(linkSpanId, j, l.getSpanId());
            setOptional(linkTraceState, j, l.getTraceStateBytes());
            linkFlags.setSafe(j, l.getFlags());
            linkDropped.setSafe(j, l.getDroppedAttributesCount());
            linkAttributes.writeAll(j, l.getAttributesList());
        }
        links.endValue(row, s.getLinksCount());
    }

    private void setOptional(VarCharVector v, int i, ByteString s) {
        // Empty proto3 strings are indistinguishable from absent ones: store null, which is cheaper.
        if (!s.isEmpty()) {
            scratch.setUtf8(v, i, s);
        }
    }

    /** Sets the row count on every vector, ready for the IPC writer. */
    void finish() {
        root.setRowCount(rows);
    }

    /** Clears the vectors (keeping their memory) for the next batch. */
    void reset() {
        for (FieldVector v : root.getFieldVectors()) {
            v.reset();
        }
        root.setRowCount(0);
        rows = 0;
        eventCount = 0;
        linkCount = 0;
        resourceAttributes.reset();
        scopeAttributes.reset();
        spanAttributes.reset();
        eventAttributes.reset();
        linkAttributes.reset();
        stats.reset();
    }

    @Override
    public void close() {
        root.close();
    }

    /** Pruning statistics of the batch being built. */
    static final class BatchStats {
        TraceId first;
        TraceId last;
        int traces;
        long minStart;
        long maxStart;
        long maxEnd;
        long minDuration;
        long maxDuration;
        int statusMask;
        int kindMask;
        final BlockIndex.Dictionary.Builder serviceNames = new BlockIndex.Dictionary.Builder();
        final BlockIndex.Dictionary.Builder spanNames = new BlockIndex.Dictionary.Builder();

        BatchStats() {
            reset();
        }

        void add(TraceId id, TraceLayout.Row r, long duration, Span s, ByteString serviceName) {
            if (first == null) {
                first = id;
            }
            if (!id.equals(last)) {
                traces++;
                last = id;
            }
            long end = r.start + duration;
            minStart = Math.min(minStart, r.start);
            maxStart = Math.max(maxStart, r.start);
            maxEnd = Math.max(maxEnd, end);
            minDuration = Math.min(minDuration, duration);
            maxDuration = Math.max(maxDuration, duration);
            statusMask |= BlockIndex.maskBit(s.hasStatus() ? s.getStatus().getCodeValue() : 0);
            kindMask |= BlockIndex.maskBit(s.getKindValue());
            serviceNames.add(serviceName);
            spanNames.add(s.getNameBytes());
        }

        void reset() {
            first = null;
            last = null;
            traces = 0;
            minStart = Long.MAX_VALUE;
            maxStart = Long.MIN_VALUE;
            maxEnd = Long.MIN_VALUE;
            minDuration = Long.MAX_VALUE;
            maxDuration = Long.MIN_VALUE;
            statusMask = 0;
            kindMask = 0;
            serviceNames.reset();
            spanNames.reset();
        }
    }
}
