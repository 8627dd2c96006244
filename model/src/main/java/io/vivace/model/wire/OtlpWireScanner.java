package io.vivace.model.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads OTLP {@code TracesData} / {@code ExportTraceServiceRequest} bytes (both are "field 1 =
 * repeated ResourceSpans") without building protobuf objects. {@link #scan} checks the whole input
 * as strictly as protobuf's generated parser does (well-formed tags, varints and lengths, valid
 * UTF-8 in proto3 {@code string} fields, nested known messages, the parser's nesting limit of 100),
 * and records where every resource, scope and span lies; the resulting {@link OtlpWireBatch}
 * validates span IDs and splits the request by trace by copying byte ranges.
 *
 * <p>Unknown fields are skipped safely (and, inside spans, resources and scopes, kept verbatim, as
 * protobuf keeps them). A known field number with an unexpected wire type is an unknown field, as in
 * the generated parser. Malformed input raises {@link IllegalArgumentException} whose message is
 * protobuf's own wording; no other exception escapes and every loop consumes input, so the scan
 * always terminates.
 */
public final class OtlpWireScanner {
    /** protobuf's default recursion limit ({@code CodedInputStream.setRecursionLimit}). */
    static final int RECURSION_LIMIT = 100;

    private static final int K_UNKNOWN = 0;
    private static final int K_MESSAGE = 1;
    private static final int K_STRING = 2;
    private static final int K_BYTES = 3;
    private static final int K_VARINT = 4;
    private static final int K_FIXED64 = 5;
    private static final int K_FIXED32 = 6;

    private static final int TAG_LD_1 = (1 << 3) | 2;
    private static final int TAG_LD_2 = (2 << 3) | 2;
    private static final int TAG_LD_3 = (3 << 3) | 2;
    private static final int TAG_LD_4 = (4 << 3) | 2;
    private static final int TAG_F64_7 = (7 << 3) | 1;
    private static final int TAG_F64_8 = (8 << 3) | 1;

    /** How to check the fields of one message type; built from the generated descriptors. */
    private static final class Schema {
        int[] kinds = new int[0];
        int[] wireTypes = new int[0];
        boolean[] packable = new boolean[0];
        Schema[] children = new Schema[0];
    }

    private static final Schema RESOURCE = schemaOf(Resource.getDescriptor(), new HashMap<>());
    private static final Schema SCOPE = schemaOf(InstrumentationScope.getDescriptor(), new HashMap<>());
    private static final Schema SPAN = schemaOf(Span.getDescriptor(), new HashMap<>());
    private static final Schema RESOURCE_SPANS = schemaOf(ResourceSpans.getDescriptor(), new HashMap<>());
    private static final Schema SCOPE_SPANS = schemaOf(ScopeSpans.getDescriptor(), new HashMap<>());
    private static final Schema TRACES_DATA = schemaOf(TracesData.getDescriptor(), new HashMap<>());

    private OtlpWireScanner() {}

    /** Scans all of {@code data}. */
    public static OtlpWireBatch scan(byte[] data) {
        return scan(data, 0, data.length);
    }

    /**
     * Scans {@code length} bytes of {@code data} at {@code offset}. The returned batch refers to
     * {@code data}, which must not change while the batch is used.
     *
     * @throws IllegalArgumentException when the bytes are not a valid OTLP {@code TracesData}
     */
    public static OtlpWireBatch scan(byte[] data, int offset, int length) {
        return scan(data, offset, length, true);
    }

    /**
     * As {@link #scan(byte[])}, but for bytes already checked by a full scan (the ingester's pushes,
     * which the distributor validated): the framing of resources, scopes and spans and the span
     * fields the split reads are still checked, so malformed input still raises
     * {@link IllegalArgumentException} rather than anything else, but the inside of resources,
     * scopes and span attributes, events and links is skipped, not checked.
     */
    public static OtlpWireBatch scanValidated(byte[] data) {
        return scan(data, 0, data.length, false);
    }

    private static OtlpWireBatch scan(byte[] data, int offset, int length, boolean deep) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + "+" + length + ") outside an array of "
                    + data.length + " bytes");
        }
        OtlpWireBatch batch = new OtlpWireBatch(data);
        try {
            new Reader(data, offset, length, batch, deep).tracesData();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // CodedInputStream over an array throws only InvalidProtocolBufferException; anything else is a bug here.
            throw new IllegalArgumentException("malformed OTLP protobuf: " + e, e);
        }
        return batch;
    }

    /** One scan's cursor. */
    private static final class Reader {
        private final byte[] data;
        private final int base;
        private final CodedInputStream in;
        private final OtlpWireBatch batch;
        private final boolean deep;
        private int stringOffset;
        private int stringLength;

        Reader(byte[] data, int offset, int length, OtlpWireBatch batch, boolean deep) {
            this.deep = deep;
            this.data = data;
            this.base = offset;
            this.in = CodedInputStream.newInstance(data, offset, length);
            this.in.setRecursionLimit(RECURSION_LIMIT);
            this.batch = batch;
        }

        private int pos() {
            return base + in.getTotalBytesRead();
        }

        void tracesData() throws IOException {
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return;
                }
                if (tag == TAG_LD_1) {
                    resourceSpans();
                } else {
                    field(TRACES_DATA, tag, 0);
                }
            }
        }

        /** Enters a length-delimited message at nesting {@code depth}; returns the old limit. */
        private int enter(int depth) throws IOException {
            if (depth > RECURSION_LIMIT) {
                throw new InvalidProtocolBufferException("Protocol message had too many levels of nesting.  May be malicious.  "
                        + "Use CodedInputStream.setRecursionLimit() to increase the depth limit.");
            }
            int length = in.readRawVarint32();
            return in.pushLimit(length);
        }

        private void resourceSpans() throws IOException {
            int old = enter(1);
            int resource = batch.addResource();
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                if (tag == TAG_LD_1) {
                    int start = deep ? message(RESOURCE, 2) : skipMessage();
                    batch.addResourceRange(resource, start, pos() - start);
                } else if (tag == TAG_LD_2) {
                    scopeSpans(resource);
                } else if (tag == TAG_LD_3) {
                    string();
                    batch.setResourceSchemaUrl(resource, stringOffset, stringLength);
                } else {
                    field(RESOURCE_SPANS, tag, 1);
                }
            }
            in.popLimit(old);
        }

        private void scopeSpans(int resource) throws IOException {
            int old = enter(2);
            int scope = batch.addScope(resource);
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                if (tag == TAG_LD_1) {
                    int start = deep ? message(SCOPE, 3) : skipMessage();
                    batch.addScopeRange(scope, start, pos() - start);
                } else if (tag == TAG_LD_2) {
                    span(scope);
                } else if (tag == TAG_LD_3) {
                    string();
                    batch.setScopeSchemaUrl(scope, stringOffset, stringLength);
                } else {
                    field(SCOPE_SPANS, tag, 2);
                }
            }
            in.popLimit(old);
        }

        private void span(int scope) throws IOException {
            int old = enter(3);
            int spanStart = pos();
            int traceIdOff = 0;
            int traceIdLen = 0;
            int spanIdOff = 0;
            int spanIdLen = 0;
            int parentLen = 0;
            long start = 0;
            long end = 0;
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                if (tag == TAG_LD_1) {
                    int len = in.readRawVarint32();
                    traceIdOff = pos();
                    in.skipRawBytes(len);
                    traceIdLen = len;
                } else if (tag == TAG_LD_2) {
                    int len = in.readRawVarint32();
                    spanIdOff = pos();
                    in.skipRawBytes(len);
                    spanIdLen = len;
                } else if (tag == TAG_LD_4) {
                    int len = in.readRawVarint32();
                    in.skipRawBytes(len);
                    parentLen = len;
                } else if (tag == TAG_F64_7) {
                    start = in.readRawLittleEndian64();
                } else if (tag == TAG_F64_8) {
                    end = in.readRawLittleEndian64();
                } else if (deep) {
                    field(SPAN, tag, 3);
                } else if (!in.skipField(tag)) {
                    throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
                }
            }
            int spanEnd = pos();
            in.popLimit(old);
            batch.addSpan(scope, spanStart, spanEnd - spanStart, traceIdOff, traceIdLen, spanIdOff, spanIdLen, parentLen,
                    start, end);
        }

        /** Reads a proto3 string field's value, checking UTF-8, into {@code stringOffset/Length}. */
        private void string() throws IOException {
            int len = in.readRawVarint32();
            int off = pos();
            in.skipRawBytes(len);
            checkUtf8(off, len);
            stringOffset = off;
            stringLength = len;
        }

        private void checkUtf8(int off, int len) throws InvalidProtocolBufferException {
            for (int i = off, end = off + len; i < end; i++) {
                if (data[i] < 0) {
                    if (!UnsafeByteOperations.unsafeWrap(data, i, end - i).isValidUtf8()) {
                        throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
                    }
                    return;
                }
            }
        }

        /** Skips the length-delimited value at the cursor; returns where its content starts. */
        private int skipMessage() throws IOException {
            int len = in.readRawVarint32();
            int start = pos();
            in.skipRawBytes(len);
            return start;
        }

        /** Checks the message whose length prefix is at the cursor; returns where its content starts. */
        private int message(Schema schema, int depth) throws IOException {
            int old = enter(depth);
            int start = pos();
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                field(schema, tag, depth);
            }
            in.popLimit(old);
            return start;
        }

        /** Checks (or skips, when unknown) one field of a message at {@code depth}, its tag already read. */
        private void field(Schema schema, int tag, int depth) throws IOException {
            int wireType = WireFormat.getTagWireType(tag);
            int number = WireFormat.getTagFieldNumber(tag);
            if (wireType == WireFormat.WIRETYPE_END_GROUP) {
                throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
            }
            if (number < schema.kinds.length && schema.kinds[number] != K_UNKNOWN) {
                if (schema.wireTypes[number] == wireType) {
                    switch (schema.kinds[number]) {
                        case K_MESSAGE -> message(schema.children[number], depth + 1);
                        case K_STRING -> string();
                        case K_BYTES -> in.skipRawBytes(in.readRawVarint32());
                        case K_VARINT -> in.readRawVarint64();
                        case K_FIXED64 -> in.readRawLittleEndian64();
                        case K_FIXED32 -> in.readRawLittleEndian32();
                        default -> throw new IllegalStateException("kind " + schema.kinds[number]);
                    }
                    return;
                }
                if (schema.packable[number] && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int old = in.pushLimit(in.readRawVarint32());
                    while (!in.isAtEnd()) {
                        switch (schema.kinds[number]) {
                            case K_VARINT -> in.readRawVarint64();
                            case K_FIXED64 -> in.readRawLittleEndian64();
                            default -> in.readRawLittleEndian32();
                        }
                    }
                    in.popLimit(old);
                    return;
                }
            }
            if (!in.skipField(tag)) {
                throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
            }
        }
    }

    private static Schema schemaOf(Descriptor type, Map<Descriptor, Schema> done) {
        Schema existing = done.get(type);
        if (existing != null) {
            return existing;
        }
        Schema s = new Schema();
        done.put(type, s);
        int max = 0;
        for (FieldDescriptor f : type.getFields()) {
            max = Math.max(max, f.getNumber());
        }
        s.kinds = new int[max + 1];
        s.wireTypes = new int[max + 1];
        s.packable = new boolean[max + 1];
        s.children = new Schema[max + 1];
        for (FieldDescriptor f : type.getFields()) {
            int n = f.getNumber();
            s.wireTypes[n] = f.getLiteType().getWireType();
            s.kinds[n] = switch (f.getJavaType()) {
                case MESSAGE -> {
                    if (f.getType() == FieldDescriptor.Type.GROUP) {
                        yield K_UNKNOWN; // no groups in OTLP; skipping keeps the scan safe
                    }
                    s.children[n] = schemaOf(f.getMessageType(), done);
                    yield K_MESSAGE;
                }
                case STRING -> K_STRING;
                case BYTE_STRING -> K_BYTES;
                case INT, LONG, BOOLEAN, ENUM, FLOAT, DOUBLE -> switch (s.wireTypes[n]) {
                    case WireFormat.WIRETYPE_VARINT -> K_VARINT;
                    case WireFormat.WIRETYPE_FIXED64 -> K_FIXED64;
                    case WireFormat.WIRETYPE_FIXED32 -> K_FIXED32;
                    default -> K_UNKNOWN;
                };
            };
            s.packable[n] = f.isRepeated() && s.kinds[n] >= K_VARINT;
        }
        return s;
    }
}
