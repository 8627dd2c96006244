package io.vivace.ingester;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the ingester keeps a trace's spans in memory: the trace's {@link ResourceSpans} pieces, each
 * encoded as field 1 of {@code TracesData} (tag, length, bytes). Concatenations of such encodings are
 * themselves a valid {@code TracesData}, so a trace's buffer grows by appending bytes and decodes
 * with one {@code parseFrom}. One byte array per trace holds far less than the protobuf object graph
 * of its spans, and costs the garbage collector nothing to trace.
 */
final class TracePieces {
    /** Tag of {@code TracesData.resource_spans} (field 1, length-delimited). */
    private static final int RESOURCE_SPANS_TAG = (1 << 3) | 2;

    private TracePieces() {}

    /** The spans of one trace in one push, ready to append to its buffer. */
    record Prepared(TraceId id, byte[] bytes, int spanCount, long startUnixNanos, long endUnixNanos) {}

    /** Splits a batch by trace and encodes each trace's pieces. */
    static List<Prepared> prepare(List<ResourceSpans> batch) {
        Map<TraceId, List<ResourceSpans>> byTrace = Traces.splitByTrace(batch);
        List<Prepared> out = new ArrayList<>(byTrace.size());
        byTrace.forEach((id, pieces) -> {
            long start = Long.MAX_VALUE;
            long end = 0;
            int spans = 0;
            for (ResourceSpans rs : pieces) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        spans++;
                        start = Math.min(start, s.getStartTimeUnixNano());
                        end = Math.max(end, s.getEndTimeUnixNano());
                    }
                }
            }
            out.add(new Prepared(id, encode(pieces), spans, start == Long.MAX_VALUE ? 0 : start, end));
        });
        return out;
    }

    /** Encodes {@code pieces} as {@code TracesData} field-1 entries. */
    static byte[] encode(List<ResourceSpans> pieces) {
        int size = 0;
        for (ResourceSpans rs : pieces) {
            size += CodedOutputStream.computeMessageSize(1, rs);
        }
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            for (ResourceSpans rs : pieces) {
                cos.writeUInt32NoTag(RESOURCE_SPANS_TAG);
                cos.writeUInt32NoTag(rs.getSerializedSize());
                rs.writeTo(cos);
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            // Writing to an exactly sized array cannot fail unless the size computation is wrong.
            throw new UncheckedIOException("encoding trace pieces", e);
        }
        return out;
    }

    /** Decodes {@code length} bytes at {@code offset} of {@code data} as the pieces they hold. */
    static List<ResourceSpans> decode(byte[] data, int offset, int length) {
        try {
            return TracesData.parser().parseFrom(data, offset, length).getResourceSpansList();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("in-memory trace buffer is not valid TracesData (a bug): " + e.getMessage(), e);
        }
    }
}
