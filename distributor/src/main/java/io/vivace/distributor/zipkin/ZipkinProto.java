package io.vivace.distributor.zipkin;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Zipkin's proto3 {@code ListOfSpans} ({@code zipkin2/zipkin.proto} in openzipkin/zipkin-api)
 * by hand with {@link CodedInputStream}, which avoids generating code for one small message. Field
 * numbers: {@code ListOfSpans.spans = 1}; {@code Span}: trace_id 1, parent_id 2, id 3, kind 4, name 5,
 * timestamp 6 (fixed64), duration 7, local_endpoint 8, remote_endpoint 9, annotations 10, tags 11
 * (map), debug 12, shared 13; {@code Endpoint}: service_name 1, ipv4 2, ipv6 3, port 4;
 * {@code Annotation}: timestamp 1 (fixed64), value 2. Unknown fields are skipped.
 */
public final class ZipkinProto {
    private static final String[] KINDS = {null, "CLIENT", "SERVER", "PRODUCER", "CONSUMER"};
    /** Field 1, length-delimited: (1 << 3) | 2. */
    private static final int SPANS_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private ZipkinProto() {}

    /**
     * Parses a {@code ListOfSpans}.
     *
     * @throws IllegalArgumentException when the body is not valid protobuf or a span is invalid
     */
    public static List<ZipkinSpan> parse(byte[] body) {
        List<ZipkinSpan> spans = new ArrayList<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == SPANS_TAG) {
                    spans.add(span(in.readByteArray(), "span[" + spans.size() + "]"));
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("invalid Zipkin protobuf: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid Zipkin protobuf: " + e);
        }
        return spans;
    }

    private static ZipkinSpan span(byte[] bytes, String where) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        byte[] traceId = null;
        byte[] parentId = null;
        byte[] id = null;
        String kind = null;
        String name = null;
        Long timestamp = null;
        Long duration = null;
        ZipkinSpan.Endpoint local = null;
        ZipkinSpan.Endpoint remote = null;
        List<ZipkinSpan.Annotation> annotations = new ArrayList<>();
        Map<String, String> tags = new LinkedHashMap<>();
        Boolean debug = null;
        Boolean shared = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int type = WireFormat.getTagWireType(tag);
            switch (field) {
                case 1 -> traceId = expect(in, tag, type, WireFormat.WIRETYPE_LENGTH_DELIMITED, where) ? in.readByteArray() : traceId;
                case 2 -> parentId = expect(in, tag, type, WireFormat.WIRETYPE_LENGTH_DELIMITED, where) ? in.readByteArray() : parentId;
                case 3 -> id = expect(in, tag, type, WireFormat.WIRETYPE_LENGTH_DELIMITED, where) ? in.readByteArray() : id;
                case 4 -> {
                    if (expect(in, tag, type, WireFormat.WIRETYPE_VARINT, where)) {
                        int k = in.readEnum();
                        kind = k >= 0 && k < KINDS.length ? KINDS[k] : null;
                    }
                }
                case 5 -> name = expect(in, tag, type, WireFormat.WIRETYPE_LENGTH_DELIMITED, where) ? in.readStringRequireUtf8() : name;
                case 6 -> timestamp = expect(in, tag, type, WireFormat.WIRETYPE_FIXED64, where) ? in.readFixed64() : timestamp;
                case 7 -> duration = expect(in, tag, type, WireFormat.WIRETYPE_VARINT, where) ? in.readUInt64() : duration;
                case 8 -> local = expect(in, tag, type, WireFormat.WIRETYPE_LENGTH_DELIMITED, where)
                        ? endpoint(in.readByteArray(), where + ".local_endpoint") : local;
                case 9 -> remote = expect(in, tag, type, WireFormat.WIRETYPE_LENGTH_DELIMITED, where)
                        ? endpoint(in.readByteArray(), where + ".remote_endpoint") : remote;
                case 10 -> {
                    if (expect(in, tag, type, WireFormat.WIRETYPE_LENGTH_DELIMITED, where)) {
                        annotations.add(annotation(in.readByteArray()));
                    }
                }
                case 11 -> {
                    if (expect(in, tag, type, WireFormat.WIRETYPE_LENGTH_DELIMITED, where)) {
                        String[] entry = mapEntry(in.readByteArray());
                        tags.put(entry[0], entry[1]);
                    }
                }
                case 12 -> debug = expect(in, tag, type, WireFormat.WIRETYPE_VARINT, where) ? in.readBool() : debug;
                case 13 -> shared = expect(in, tag, type, WireFormat.WIRETYPE_VARINT, where) ? in.readBool() : shared;
                default -> in.skipField(tag);
            }
        }
        if (traceId == null) {
            throw new IllegalArgumentException(where + ".trace_id: missing (expected: 8 or 16 bytes)");
        }
        if (id == null) {
            throw new IllegalArgumentException(where + ".id: missing (expected: 8 bytes)");
        }
        long[] t = ZipkinIds.traceId(traceId, where + ".trace_id");
        Long parent = parentId == null || parentId.length == 0 ? null : ZipkinIds.spanId(parentId, where + ".parent_id");
        return new ZipkinSpan(t[0], t[1], ZipkinIds.spanId(id, where + ".id"), parent, name, kind, timestamp, duration,
                local, remote, annotations, tags, debug, shared);
    }

    /** True when the wire type is the expected one; otherwise the field is malformed. */
    private static boolean expect(CodedInputStream in, int tag, int type, int expected, String where) {
        if (type != expected) {
            throw new IllegalArgumentException(where + ": field " + WireFormat.getTagFieldNumber(tag)
                    + " has wire type " + type + " (expected: " + expected + ")");
        }
        return true;
    }

    private static ZipkinSpan.Endpoint endpoint(byte[] bytes, String where) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String service = null;
        String ipv4 = null;
        String ipv6 = null;
        int port = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> service = in.readStringRequireUtf8();
                case 2 -> ipv4 = address(in.readByteArray(), 4, where + ".ipv4");
                case 3 -> ipv6 = address(in.readByteArray(), 16, where + ".ipv6");
                case 4 -> port = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(where + ".port: " + port + " (expected: 0-65535)");
        }
        return new ZipkinSpan.Endpoint(service, ipv4, ipv6, port);
    }

    private static String address(byte[] bytes, int length, String where) {
        if (bytes.length == 0) {
            return null;
        }
        if (bytes.length != length) {
            throw new IllegalArgumentException(where + ": " + bytes.length + " bytes (expected: " + length + ")");
        }
        try {
            // A literal address: no name lookup happens.
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static ZipkinSpan.Annotation annotation(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long timestamp = 0;
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> timestamp = in.readFixed64();
                case 2 -> value = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        return new ZipkinSpan.Annotation(timestamp, value);
    }

    private static String[] mapEntry(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String key = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = in.readStringRequireUtf8();
                case 2 -> value = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        return new String[] {key, value};
    }
}
