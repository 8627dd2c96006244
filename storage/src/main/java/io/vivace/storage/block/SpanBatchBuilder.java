package io.vivace.storage.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.TraceId;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
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
    private final IntVector traceState;
    private final IntVector name;
    private final IntVector kind;
    private final BigIntVector start;
    private final BigIntVector duration;
    private final IntVector statusCode;
    private final IntVector statusMessage;
    private final IntVector flags;
    private final IntVector droppedAttributes;
    private final IntVector droppedEvents;
    private final IntVector droppedLinks;
    private final IntVector nestedLeft;
    private final IntVector nestedRight;
    private final IntVector nestedParent;
    private final IntVector childCount;
    private final IntVector rootService;
    private final IntVector rootName;
    private final BigIntVector traceStart;
    private final BigIntVector traceEnd;
    private final IntVector resourceSchemaUrl;
    private final IntVector resourceDropped;
    private final VarBinaryVector resourceEntityRefs;
    private final IntVector[] resourceDedicated;
    private final AttributeColumns resourceAttributes;
    private final IntVector scopeName;
    private final IntVector scopeVersion;
    private final IntVector scopeSchemaUrl;
    private final IntVector scopeDropped;
    private final AttributeColumns scopeAttributes;
    private final FieldVector[] spanDedicated;
    private final AttributeColumns spanAttributes;
    private final ListVector events;
    private final StructVector eventStruct;
    private final BigIntVector eventTime;
    private final IntVector eventName;
    private final IntVector eventDropped;
    private final AttributeColumns eventAttributes;
    private final ListVector links;
    private final StructVector linkStruct;
    private final VarBinaryVector linkTraceId;
    private final VarBinaryVector linkSpanId;
    private final IntVector linkTraceState;
    private final IntVector linkFlags;
    private final IntVector linkDropped;
    private final AttributeColumns linkAttributes;

    /** Dictionaries by dictionary column name. */
    private final java.util.Map<String, DictionaryColumn> dictionaries = new java.util.LinkedHashMap<>();
    private final DictionaryColumn traceStateDict;
    private final DictionaryColumn nameDict;
    private final DictionaryColumn statusMessageDict;
    private final DictionaryColumn rootServiceDict;
    private final DictionaryColumn rootNameDict;
    private final DictionaryColumn resourceSchemaUrlDict;
    private final DictionaryColumn[] resourceDedicatedDict;
    private final DictionaryColumn scopeNameDict;
    private final DictionaryColumn scopeVersionDict;
    private final DictionaryColumn scopeSchemaUrlDict;
    private final DictionaryColumn[] spanDedicatedDict;
    private final DictionaryColumn eventsDict;
    private final DictionaryColumn linksDict;

    private final ByteString[] spanDedicatedStrings = new ByteString[TraceLayout.SPAN_COLUMNS.size()];
    private final long[] spanDedicatedInts = new long[TraceLayout.SPAN_COLUMNS.size()];
    private final boolean[] spanDedicatedSet = new boolean[TraceLayout.SPAN_COLUMNS.size()];

    private int rows;
    /** Number of the batch being built (for the per-batch code caches of {@link TraceLayout}). */
    private int batch;
    private int eventCount;
    private int linkCount;
    final BatchStats stats = new BatchStats();

    SpanBatchBuilder(BufferAllocator allocator, int rowsPerBatch) {
        root = VectorSchemaRoot.create(SpanColumns.SCHEMA, allocator);
        root.getFieldVectors().forEach(v -> v.setInitialCapacity(rowsPerBatch));
        root.allocateNew();
        for (String d : SpanColumns.DICTIONARIES) {
            dictionaries.put(d, new DictionaryColumn((ListVector) root.getVector(d)));
        }
        traceStateDict = dictionaryOf(SpanColumns.TRACE_STATE);
        nameDict = dictionaryOf(SpanColumns.NAME);
        statusMessageDict = dictionaryOf(SpanColumns.STATUS_MESSAGE);
        rootServiceDict = dictionaryOf(SpanColumns.TRACE_ROOT_SERVICE);
        rootNameDict = dictionaryOf(SpanColumns.TRACE_ROOT_NAME);
        resourceSchemaUrlDict = dictionaryOf(SpanColumns.RESOURCE_SCHEMA_URL);
        scopeNameDict = dictionaryOf(SpanColumns.SCOPE_NAME);
        scopeVersionDict = dictionaryOf(SpanColumns.SCOPE_VERSION);
        scopeSchemaUrlDict = dictionaryOf(SpanColumns.SCOPE_SCHEMA_URL);
        eventsDict = dictionaryOf(SpanColumns.EVENTS);
        linksDict = dictionaryOf(SpanColumns.LINKS);
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
        resourceDedicated = new IntVector[TraceLayout.RESOURCE_COLUMNS.size()];
        resourceDedicatedDict = new DictionaryColumn[resourceDedicated.length];
        for (int i = 0; i < resourceDedicated.length; i++) {
            resourceDedicated[i] = vector(TraceLayout.RESOURCE_COLUMNS.get(i).column());
            resourceDedicatedDict[i] = dictionaryOf(TraceLayout.RESOURCE_COLUMNS.get(i).column());
        }
        resourceAttributes = new AttributeColumns(vector(SpanColumns.RESOURCE_ATTRIBUTES), dictionaryOf(SpanColumns.RESOURCE_ATTRIBUTES));
        scopeName = vector(SpanColumns.SCOPE_NAME);
        scopeVersion = vector(SpanColumns.SCOPE_VERSION);
        scopeSchemaUrl = vector(SpanColumns.SCOPE_SCHEMA_URL);
        scopeDropped = vector(SpanColumns.SCOPE_DROPPED_ATTRIBUTES_COUNT);
        scopeAttributes = new AttributeColumns(vector(SpanColumns.SCOPE_ATTRIBUTES), dictionaryOf(SpanColumns.SCOPE_ATTRIBUTES));
        spanDedicated = new FieldVector[TraceLayout.SPAN_COLUMNS.size()];
        spanDedicatedDict = new DictionaryColumn[spanDedicated.length];
        for (int i = 0; i < spanDedicated.length; i++) {
            spanDedicated[i] = vector(TraceLayout.SPAN_COLUMNS.get(i).column());
            spanDedicatedDict[i] = dictionaryOf(TraceLayout.SPAN_COLUMNS.get(i).column());
        }
        spanAttributes = new AttributeColumns(vector(SpanColumns.SPAN_ATTRIBUTES), dictionaryOf(SpanColumns.SPAN_ATTRIBUTES));
        events = vector(SpanColumns.EVENTS);
        eventStruct = (StructVector) events.getDataVector();
        eventTime = eventStruct.getChild(SpanColumns.EVENT_TIME_UNIX_NANO, BigIntVector.class);
        eventName = eventStruct.getChild(SpanColumns.EVENT_NAME, IntVector.class);
        eventDropped = eventStruct.getChild(SpanColumns.CHILD_DROPPED_ATTRIBUTES_COUNT, IntVector.class);
        eventAttributes = new AttributeColumns(eventStruct.getChild(SpanColumns.CHILD_ATTRIBUTES, ListVector.class), eventsDict);
        links = vector(SpanColumns.LINKS);
        linkStruct = (StructVector) links.getDataVector();
        linkTraceId = linkStruct.getChild(SpanColumns.LINK_TRACE_ID, VarBinaryVector.class);
        linkSpanId = linkStruct.getChild(SpanColumns.LINK_SPAN_ID, VarBinaryVector.class);
        linkTraceState = linkStruct.getChild(SpanColumns.LINK_TRACE_STATE, IntVector.class);
        linkFlags = linkStruct.getChild(SpanColumns.LINK_FLAGS, IntVector.class);
        linkDropped = linkStruct.getChild(SpanColumns.CHILD_DROPPED_ATTRIBUTES_COUNT, IntVector.class);
        linkAttributes = new AttributeColumns(linkStruct.getChild(SpanColumns.CHILD_ATTRIBUTES, ListVector.class), linksDict);
        IntSupplier rowCount = () -> rows;
        traceStateDict.addCodes(traceState, rowCount);
        nameDict.addCodes(name, rowCount);
        statusMessageDict.addCodes(statusMessage, rowCount);
        rootServiceDict.addCodes(rootService, rowCount);
        rootNameDict.addCodes(rootName, rowCount);
        resourceSchemaUrlDict.addCodes(resourceSchemaUrl, rowCount);
        for (int i = 0; i < resourceDedicated.length; i++) {
            resourceDedicatedDict[i].addCodes(resourceDedicated[i], rowCount);
        }
        scopeNameDict.addCodes(scopeName, rowCount);
        scopeVersionDict.addCodes(scopeVersion, rowCount);
        scopeSchemaUrlDict.addCodes(scopeSchemaUrl, rowCount);
        for (int i = 0; i < spanDedicated.length; i++) {
            if (spanDedicatedDict[i] != null) {
                spanDedicatedDict[i].addCodes((IntVector) spanDedicated[i], rowCount);
            }
        }
        eventsDict.addCodes(eventName, () -> eventCount);
        linksDict.addCodes(linkTraceState, () -> linkCount);
    }

    /** The dictionary of the dictionary-encoded column {@code column}, or null when it is not one. */
    private DictionaryColumn dictionaryOf(String column) {
        String d = SpanColumns.dictionaryOf(column);
        return d == null ? null : dictionaries.get(d);
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
        setOptional(traceState, traceStateDict, i, s.getTraceStateBytes());
        name.setSafe(i, nameDict.code(s.getNameBytes()));
        kind.setSafe(i, s.getKindValue());
        long dur = s.getEndTimeUnixNano() - r.start;
        start.setSafe(i, r.start);
        duration.setSafe(i, dur);
        if (s.hasStatus()) {
            statusCode.setSafe(i, s.getStatus().getCodeValue());
            setOptional(statusMessage, statusMessageDict, i, s.getStatus().getMessageBytes());
        }
        flags.setSafe(i, s.getFlags());
        droppedAttributes.setSafe(i, s.getDroppedAttributesCount());
        droppedEvents.setSafe(i, s.getDroppedEventsCount());
        droppedLinks.setSafe(i, s.getDroppedLinksCount());
        nestedLeft.setSafe(i, r.left);
        nestedRight.setSafe(i, r.right);
        nestedParent.setSafe(i, r.parent);
        childCount.setSafe(i, r.children);
        // Trace-, resource- and scope-level strings are the same for many rows: look their codes up
        // once per batch and keep them on the layout objects.
        if (trace.codesBatch != batch) {
            trace.rootServiceCode = trace.rootServiceName == null ? -1 : rootServiceDict.code(trace.rootServiceName);
            trace.rootNameCode = trace.rootName == null ? -1 : rootNameDict.code(trace.rootName);
            trace.codesBatch = batch;
        }
        if (trace.rootServiceCode >= 0) {
            rootService.setSafe(i, trace.rootServiceCode);
        }
        if (trace.rootNameCode >= 0) {
            rootName.setSafe(i, trace.rootNameCode);
        }
        traceStart.setSafe(i, trace.traceStart);
        traceEnd.setSafe(i, trace.traceEnd);

        TraceLayout.ResourceInfo res = r.resource;
        int[] rc = res.codes;
        if (res.codesBatch != batch) {
            rc[0] = optionalCode(resourceSchemaUrlDict, res.resourceSpans.getSchemaUrlBytes());
            for (int d = 0; d < resourceDedicated.length; d++) {
                rc[d + 1] = res.dedicated[d] == null ? -1 : resourceDedicatedDict[d].code(res.dedicated[d]);
            }
            res.codesBatch = batch;
        }
        setCode(resourceSchemaUrl, i, rc[0]);
        if (res.present) {
            resourceDropped.setSafe(i, res.resource.getDroppedAttributesCount());
        }
        if (res.entityRefs != null) {
            scratch.setBinary(resourceEntityRefs, i, res.entityRefs);
        }
        for (int d = 0; d < resourceDedicated.length; d++) {
            setCode(resourceDedicated[d], i, rc[d + 1]);
        }
        resourceAttributes.writeAll(i, res.generic);

        ScopeSpans ss = r.scope.scopeSpans();
        int[] sc = r.scope.codes;
        if (r.scope.codesBatch != batch) {
            sc[0] = optionalCode(scopeSchemaUrlDict, ss.getSchemaUrlBytes());
            sc[1] = ss.hasScope() ? optionalCode(scopeNameDict, ss.getScope().getNameBytes()) : -1;
            sc[2] = ss.hasScope() ? optionalCode(scopeVersionDict, ss.getScope().getVersionBytes()) : -1;
            r.scope.codesBatch = batch;
        }
        setCode(scopeSchemaUrl, i, sc[0]);
        if (ss.hasScope()) {
            setCode(scopeName, i, sc[1]);
            setCode(scopeVersion, i, sc[2]);
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
                    ((IntVector) spanDedicated[d]).setSafe(row, spanDedicatedDict[d].code(spanDedicatedStrings[d]));
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
            eventName.setSafe(j, eventsDict.code(e.getNameBytes()));
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
            setOptional(linkTraceState, linksDict, j, l.getTraceStateBytes());
            linkFlags.setSafe(j, l.getFlags());
            linkDropped.setSafe(j, l.getDroppedAttributesCount());
            linkAttributes.writeAll(j, l.getAttributesList());
        }
        links.endValue(row, s.getLinksCount());
    }

    /** The code of an optional string: -1 (null) for the empty string. */
    private static int optionalCode(DictionaryColumn d, ByteString s) {
        return s.isEmpty() ? -1 : d.code(s);
    }

    private static void setCode(IntVector v, int i, int code) {
        if (code >= 0) {
            v.setSafe(i, code);
        }
    }

    private static void setOptional(IntVector v, DictionaryColumn d, int i, ByteString s) {
        // Empty proto3 strings are indistinguishable from absent ones: store null, which is cheaper.
        if (!s.isEmpty()) {
            v.setSafe(i, d.code(s));
        }
    }

    /** Sets the row count on every vector, ready for the IPC writer. */
    void finish() {
        for (DictionaryColumn d : dictionaries.values()) {
            d.finish();
        }
        root.setRowCount(rows);
    }

    /** Clears the vectors (keeping their memory) for the next batch. */
    void reset() {
        for (FieldVector v : root.getFieldVectors()) {
            v.reset();
        }
        root.setRowCount(0);
        rows = 0;
        batch++;
        eventCount = 0;
        linkCount = 0;
        resourceAttributes.reset();
        scopeAttributes.reset();
        spanAttributes.reset();
        eventAttributes.reset();
        linkAttributes.reset();
        for (DictionaryColumn d : dictionaries.values()) {
            d.reset();
        }
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
