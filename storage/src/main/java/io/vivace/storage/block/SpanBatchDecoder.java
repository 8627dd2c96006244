package io.vivace.storage.block;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.model.TraceId;
import java.io.IOException;
import java.util.Arrays;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Turns rows of one loaded record batch back into OTLP spans, resources and scopes. The inverse of
 * {@link SpanBatchBuilder}; dedicated attributes come back first, in {@link SpanColumns#DEDICATED}
 * order, followed by the generic ones in their original order.
 */
final class SpanBatchDecoder {
    private final VectorSchemaRoot root;
    private final java.util.Map<String, DictionaryColumn> dictionaries = new java.util.HashMap<>();
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
    private final IntVector resourceSchemaUrl;
    private final IntVector resourceDropped;
    private final VarBinaryVector resourceEntityRefs;
    private final IntVector[] resourceDedicated;
    private final DictionaryColumn[] resourceDedicatedDict;
    private final AttributeColumns resourceAttributes;
    private final IntVector scopeName;
    private final IntVector scopeVersion;
    private final IntVector scopeSchemaUrl;
    private final IntVector scopeDropped;
    private final AttributeColumns scopeAttributes;
    private final FieldVector[] spanDedicated;
    private final DictionaryColumn[] spanDedicatedDict;
    private final DictionaryColumn traceStateDict;
    private final DictionaryColumn nameDict;
    private final DictionaryColumn statusMessageDict;
    private final DictionaryColumn resourceSchemaUrlDict;
    private final DictionaryColumn scopeNameDict;
    private final DictionaryColumn scopeVersionDict;
    private final DictionaryColumn scopeSchemaUrlDict;
    private final DictionaryColumn eventsDict;
    private final DictionaryColumn linksDict;
    private final AttributeColumns spanAttributes;
    private final ListVector events;
    private final BigIntVector eventTime;
    private final IntVector eventName;
    private final IntVector eventDropped;
    private final AttributeColumns eventAttributes;
    private final ListVector links;
    private final VarBinaryVector linkTraceId;
    private final VarBinaryVector linkSpanId;
    private final IntVector linkTraceState;
    private final IntVector linkFlags;
    private final IntVector linkDropped;
    private final AttributeColumns linkAttributes;

    SpanBatchDecoder(VectorSchemaRoot root) {
        this.root = root;
        for (String d : SpanColumns.DICTIONARIES) {
            dictionaries.put(d, new DictionaryColumn(vector(d)));
        }
        traceStateDict = dictionary(SpanColumns.TRACE_STATE);
        nameDict = dictionary(SpanColumns.NAME);
        statusMessageDict = dictionary(SpanColumns.STATUS_MESSAGE);
        resourceSchemaUrlDict = dictionary(SpanColumns.RESOURCE_SCHEMA_URL);
        scopeNameDict = dictionary(SpanColumns.SCOPE_NAME);
        scopeVersionDict = dictionary(SpanColumns.SCOPE_VERSION);
        scopeSchemaUrlDict = dictionary(SpanColumns.SCOPE_SCHEMA_URL);
        eventsDict = dictionary(SpanColumns.EVENTS);
        linksDict = dictionary(SpanColumns.LINKS);
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
        resourceSchemaUrl = vector(SpanColumns.RESOURCE_SCHEMA_URL);
        resourceDropped = vector(SpanColumns.RESOURCE_DROPPED_ATTRIBUTES_COUNT);
        resourceEntityRefs = vector(SpanColumns.RESOURCE_ENTITY_REFS);
        resourceDedicated = new IntVector[TraceLayout.RESOURCE_COLUMNS.size()];
        resourceDedicatedDict = new DictionaryColumn[resourceDedicated.length];
        for (int i = 0; i < resourceDedicated.length; i++) {
            resourceDedicated[i] = vector(TraceLayout.RESOURCE_COLUMNS.get(i).column());
            resourceDedicatedDict[i] = dictionary(TraceLayout.RESOURCE_COLUMNS.get(i).column());
        }
        resourceAttributes = new AttributeColumns(vector(SpanColumns.RESOURCE_ATTRIBUTES), dictionary(SpanColumns.RESOURCE_ATTRIBUTES));
        scopeName = vector(SpanColumns.SCOPE_NAME);
        scopeVersion = vector(SpanColumns.SCOPE_VERSION);
        scopeSchemaUrl = vector(SpanColumns.SCOPE_SCHEMA_URL);
        scopeDropped = vector(SpanColumns.SCOPE_DROPPED_ATTRIBUTES_COUNT);
        scopeAttributes = new AttributeColumns(vector(SpanColumns.SCOPE_ATTRIBUTES), dictionary(SpanColumns.SCOPE_ATTRIBUTES));
        spanDedicated = new FieldVector[TraceLayout.SPAN_COLUMNS.size()];
        spanDedicatedDict = new DictionaryColumn[spanDedicated.length];
        for (int i = 0; i < spanDedicated.length; i++) {
            String c = TraceLayout.SPAN_COLUMNS.get(i).column();
            spanDedicated[i] = vector(c);
            spanDedicatedDict[i] = SpanColumns.dictionaryOf(c) == null ? null : dictionary(c);
        }
        spanAttributes = new AttributeColumns(vector(SpanColumns.SPAN_ATTRIBUTES), dictionary(SpanColumns.SPAN_ATTRIBUTES));
        events = vector(SpanColumns.EVENTS);
        StructVector eventStruct = (StructVector) events.getDataVector();
        eventTime = eventStruct.getChild(SpanColumns.EVENT_TIME_UNIX_NANO, BigIntVector.class);
        eventName = eventStruct.getChild(SpanColumns.EVENT_NAME, IntVector.class);
        eventDropped = eventStruct.getChild(SpanColumns.CHILD_DROPPED_ATTRIBUTES_COUNT, IntVector.class);
        eventAttributes = new AttributeColumns(eventStruct.getChild(SpanColumns.CHILD_ATTRIBUTES, ListVector.class), eventsDict);
        links = vector(SpanColumns.LINKS);
        StructVector linkStruct = (StructVector) links.getDataVector();
        linkTraceId = linkStruct.getChild(SpanColumns.LINK_TRACE_ID, VarBinaryVector.class);
        linkSpanId = linkStruct.getChild(SpanColumns.LINK_SPAN_ID, VarBinaryVector.class);
        linkTraceState = linkStruct.getChild(SpanColumns.LINK_TRACE_STATE, IntVector.class);
        linkFlags = linkStruct.getChild(SpanColumns.LINK_FLAGS, IntVector.class);
        linkDropped = linkStruct.getChild(SpanColumns.CHILD_DROPPED_ATTRIBUTES_COUNT, IntVector.class);
        linkAttributes = new AttributeColumns(linkStruct.getChild(SpanColumns.CHILD_ATTRIBUTES, ListVector.class), linksDict);
    }

    private DictionaryColumn dictionary(String column) {
        return dictionaries.get(SpanColumns.dictionaryOf(column));
    }

    @SuppressWarnings("unchecked")
    private <V extends FieldVector> V vector(String column) {
        FieldVector v = root.getVector(column);
        if (v == null) {
            throw new IllegalStateException("column " + column + " missing from the block's schema");
        }
        return (V) v;
    }

    /** Rows in the batch. */
    int rows() {
        return root.getRowCount();
    }

    /** The trace ID of {@code row}, read straight from the buffer without allocating. */
    TraceId traceIdAt(int row) {
        // Arrow buffers are little-endian; the IDs are stored big-endian.
        long hi = Long.reverseBytes(traceId.getDataBuffer().getLong((long) row * 16));
        long lo = Long.reverseBytes(traceId.getDataBuffer().getLong((long) row * 16 + 8));
        return new TraceId(hi, lo);
    }

    /** The first row whose trace ID is >= {@code id} (rows are sorted by trace ID). */
    int lowerBound(TraceId id) {
        int lo = 0;
        int hi = rows();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (traceIdAt(mid).compareTo(id) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Decodes {@code row} into {@code sink}. */
    void decode(int row, TraceAssembler sink) throws IOException {
        sink.add(resource(row), string(resourceSchemaUrl, resourceSchemaUrlDict, row), scope(row),
                string(scopeSchemaUrl, scopeSchemaUrlDict, row), span(row));
    }

    // The resource and scope of the last decoded row: consecutive rows of one resource (or scope) hold
    // the same values, so they share one message (whose hash code protobuf then computes once for the
    // assembler's grouping) instead of decoding and hashing it again per span.
    private int resourceRow = -1;
    private Resource resourceValue;
    private int scopeRow = -1;
    private InstrumentationScope scopeValue;

    private Resource resource(int row) throws IOException {
        if (resourceRow < 0 || !sameResource(resourceRow, row)) {
            resourceValue = decodeResource(row);
        }
        resourceRow = row;
        return resourceValue;
    }

    private InstrumentationScope scope(int row) throws IOException {
        if (scopeRow < 0 || !sameScope(scopeRow, row)) {
            scopeValue = decodeScope(row);
        }
        scopeRow = row;
        return scopeValue;
    }

    private boolean sameResource(int a, int b) {
        if (!sameInt(resourceDropped, a, b) || !sameBinary(resourceEntityRefs, a, b)) {
            return false;
        }
        for (IntVector v : resourceDedicated) {
            if (!sameInt(v, a, b)) {
                return false;
            }
        }
        return resourceAttributes.sameList(a, b);
    }

    private boolean sameScope(int a, int b) {
        return sameInt(scopeDropped, a, b) && sameInt(scopeName, a, b) && sameInt(scopeVersion, a, b) && scopeAttributes.sameList(a, b);
    }

    private static boolean sameInt(IntVector v, int a, int b) {
        boolean nullA = v.isNull(a);
        return nullA == v.isNull(b) && (nullA || v.get(a) == v.get(b));
    }

    private static boolean sameBinary(VarBinaryVector v, int a, int b) {
        boolean nullA = v.isNull(a);
        return nullA == v.isNull(b) && (nullA || Arrays.equals(v.get(a), v.get(b)));
    }

    private Resource decodeResource(int row) throws IOException {
        if (resourceDropped.isNull(row)) {
            return null;
        }
        Resource.Builder r = Resource.newBuilder().setDroppedAttributesCount(resourceDropped.get(row));
        for (int d = 0; d < resourceDedicated.length; d++) {
            IntVector v = resourceDedicated[d];
            if (!v.isNull(row)) {
                r.addAttributes(stringAttribute(TraceLayout.RESOURCE_COLUMNS.get(d).key(), resourceDedicatedDict[d].value(v.get(row))));
            }
        }
        resourceAttributes.read(row, r::addAttributes);
        if (!resourceEntityRefs.isNull(row)) {
            r.addAllEntityRefs(parseResource(resourceEntityRefs.get(row)).getEntityRefsList());
        }
        return r.build();
    }

    private static Resource parseResource(byte[] b) throws InvalidProtocolBufferException {
        return Resource.parseFrom(b);
    }

    private InstrumentationScope decodeScope(int row) throws IOException {
        if (scopeDropped.isNull(row)) {
            return null;
        }
        InstrumentationScope.Builder s = InstrumentationScope.newBuilder().setDroppedAttributesCount(scopeDropped.get(row));
        if (!scopeName.isNull(row)) {
            s.setNameBytes(scopeNameDict.value(scopeName.get(row)));
        }
        if (!scopeVersion.isNull(row)) {
            s.setVersionBytes(scopeVersionDict.value(scopeVersion.get(row)));
        }
        scopeAttributes.read(row, s::addAttributes);
        return s.build();
    }

    private Span span(int row) throws IOException {
        Span.Builder s = Span.newBuilder()
                .setTraceId(AttributeColumns.wrap(traceId.get(row)))
                .setSpanId(AttributeColumns.wrap(spanId.get(row)))
                .setNameBytes(nameDict.value(name.get(row)))
                .setKindValue(kind.get(row))
                .setStartTimeUnixNano(start.get(row))
                .setEndTimeUnixNano(start.get(row) + duration.get(row))
                .setFlags(flags.get(row))
                .setDroppedAttributesCount(droppedAttributes.get(row))
                .setDroppedEventsCount(droppedEvents.get(row))
                .setDroppedLinksCount(droppedLinks.get(row));
        if (!parentSpanId.isNull(row)) {
            s.setParentSpanId(AttributeColumns.wrap(parentSpanId.get(row)));
        }
        if (!traceState.isNull(row)) {
            s.setTraceStateBytes(traceStateDict.value(traceState.get(row)));
        }
        if (!statusCode.isNull(row)) {
            Status.Builder st = Status.newBuilder().setCodeValue(statusCode.get(row));
            if (!statusMessage.isNull(row)) {
                st.setMessageBytes(statusMessageDict.value(statusMessage.get(row)));
            }
            s.setStatus(st);
        }
        for (int d = 0; d < spanDedicated.length; d++) {
            FieldVector v = spanDedicated[d];
            if (v.isNull(row)) {
                continue;
            }
            String key = TraceLayout.SPAN_COLUMNS.get(d).key();
            if (v instanceof BigIntVector iv) {
                s.addAttributes(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(iv.get(row))));
            } else {
                s.addAttributes(stringAttribute(key, spanDedicatedDict[d].value(((IntVector) v).get(row))));
            }
        }
        spanAttributes.read(row, s::addAttributes);
        for (int e = events.getElementStartIndex(row), end = events.getElementEndIndex(row); e < end; e++) {
            Span.Event.Builder ev = Span.Event.newBuilder()
                    .setTimeUnixNano(eventTime.get(e))
                    .setNameBytes(eventsDict.value(eventName.get(e)))
                    .setDroppedAttributesCount(eventDropped.get(e));
            eventAttributes.read(e, ev::addAttributes);
            s.addEvents(ev);
        }
        for (int l = links.getElementStartIndex(row), end = links.getElementEndIndex(row); l < end; l++) {
            Span.Link.Builder lb = Span.Link.newBuilder()
                    .setTraceId(AttributeColumns.wrap(linkTraceId.get(l)))
                    .setSpanId(AttributeColumns.wrap(linkSpanId.get(l)))
                    .setFlags(linkFlags.get(l))
                    .setDroppedAttributesCount(linkDropped.get(l));
            if (!linkTraceState.isNull(l)) {
                lb.setTraceStateBytes(linksDict.value(linkTraceState.get(l)));
            }
            linkAttributes.read(l, lb::addAttributes);
            s.addLinks(lb);
        }
        return s.build();
    }

    private static KeyValue stringAttribute(String key, com.google.protobuf.ByteString utf8) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValueBytes(utf8)).build();
    }

    private static com.google.protobuf.ByteString string(IntVector v, DictionaryColumn d, int row) throws IOException {
        return v.isNull(row) ? com.google.protobuf.ByteString.EMPTY : d.value(v.get(row));
    }
}
