package io.vivace.ingester;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.model.TraceId;
import io.vivace.model.wire.OtlpWireBatch;
import io.vivace.model.wire.OtlpWireScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Splits OTLP {@code TracesData} bytes by trace, copying each trace's resource, scope and span
     * bytes (no protobuf objects): the same pieces, and the same bytes, as encoding
     * {@code Traces.splitByTrace} of the decoded batch. For a (validated) push batch's bytes.
     *
     * @throws IllegalArgumentException when the framing of {@code tracesData} is not valid OTLP or a
     *     trace ID is longer than 16 bytes
     */
    static List<Prepared> prepare(byte[] tracesData) {
        return prepare(tracesData, true);
    }

    /**
     * As {@link #prepare(byte[])}; with {@code validated} false the bytes get protobuf's full check,
     * with true (a {@code PushBatch}, which the distributor validated) only the framing the split
     * relies on is checked.
     */
    static List<Prepared> prepare(byte[] tracesData, boolean validated) {
        OtlpWireBatch batch = validated ? OtlpWireScanner.scanValidated(tracesData) : OtlpWireScanner.scan(tracesData);
        List<OtlpWireBatch.TraceChunk> chunks = batch.splitByTrace();
        List<Prepared> out = new ArrayList<>(chunks.size());
        for (OtlpWireBatch.TraceChunk c : chunks) {
            out.add(new Prepared(c.id(), c.bytes(), c.spanCount(), c.startUnixNanos(), c.endUnixNanos()));
        }
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
