package io.vivace.storage.block;

import com.google.protobuf.ByteString;
import io.vivace.model.TraceId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The {@code index} object of a vArrow1 block: the Arrow schema and, per record batch, where it
 * lies in {@code data}, which trace IDs it covers, and small statistics for pruning. A reader loads
 * it once and then fetches single batches (or single column chunks) by byte range. The binary
 * layout is in {@code FORMAT.md}.
 *
 * @param schema the Arrow schema of {@code data}
 * @param dataLength size of the {@code data} object
 * @param columns top-level column names, in schema order (the order of {@link Batch#columnOffsets})
 * @param batches the record batches, in file order (ascending trace ID)
 */
public record BlockIndex(Schema schema, long dataLength, List<String> columns, List<Batch> batches) {

    /** First four bytes of an index object. */
    static final int MAGIC = 0x56494458; // "VIDX"
    /** Layout version of the index object. */
    static final int VERSION = 1;
    /** Most distinct values a dictionary keeps before it gives up (marks overflow). */
    public static final int MAX_DICTIONARY_VALUES = 256;

    /** Creates an index; lists are copied. */
    public BlockIndex {
        Objects.requireNonNull(schema, "schema");
        columns = List.copyOf(columns);
        batches = List.copyOf(batches);
    }

    /**
     * One record batch.
     *
     * @param firstTraceId trace ID of the first row
     * @param lastTraceId trace ID of the last row
     * @param offset byte offset of the batch's IPC message (metadata prefix) in {@code data}
     * @param metadataLength bytes of the message metadata, prefix and padding included
     * @param bodyLength bytes of the message body that follows the metadata
     * @param rows span rows
     * @param traces distinct trace IDs
     * @param minStartTimeUnixNano smallest span start
     * @param maxStartTimeUnixNano largest span start
     * @param maxEndTimeUnixNano largest span end
     * @param minDurationNano smallest span duration
     * @param maxDurationNano largest span duration
     * @param statusMask bit {@code c} set when a span has status code {@code c} (0..6; bit 7: others)
     * @param kindMask bit {@code k} set when a span has kind {@code k} (0..6; bit 7: others)
     * @param serviceNames distinct {@code resource.service.name} values
     * @param spanNames distinct span names
     * @param columnOffsets per top-level column, offset of its first buffer relative to the body start
     * @param columnLengths per top-level column, bytes of its buffers (compressed, as stored)
     */
    public record Batch(
            TraceId firstTraceId,
            TraceId lastTraceId,
            long offset,
            int metadataLength,
            long bodyLength,
            int rows,
            int traces,
            long minStartTimeUnixNano,
            long maxStartTimeUnixNano,
            long maxEndTimeUnixNano,
            long minDurationNano,
            long maxDurationNano,
            int statusMask,
            int kindMask,
            Dictionary serviceNames,
            Dictionary spanNames,
            long[] columnOffsets,
            long[] columnLengths) {

        /** Bytes of the whole batch message in {@code data}. */
        public long length() {
            return metadataLength + bodyLength;
        }

        /** True when the batch's trace ID range includes {@code id}. */
        public boolean covers(TraceId id) {
            return firstTraceId.compareTo(id) <= 0 && lastTraceId.compareTo(id) >= 0;
        }

        /** True when some span of the batch overlaps {@code [startNano, endNano]}. */
        public boolean overlaps(long startNano, long endNano) {
            return minStartTimeUnixNano <= endNano && maxEndTimeUnixNano >= startNano;
        }
    }

    /**
     * Distinct values of a low-cardinality column in one batch. When there were more than
     * {@link #MAX_DICTIONARY_VALUES}, {@code overflow} is set and {@code values} is empty: the batch
     * can't be pruned on that column.
     *
     * @param overflow true when the values were too many to keep
     * @param values the distinct values, sorted
     */
    public record Dictionary(boolean overflow, List<String> values) {
        /** Creates a dictionary; the list is copied. */
        public Dictionary {
            values = List.copyOf(values);
        }

        /** False only when the batch certainly holds no row with {@code value}. */
        public boolean mayContain(String value) {
            return overflow || values.contains(value);
        }

        /** Collects distinct values while a batch is written. */
        static final class Builder {
            private final Set<ByteString> values = new HashSet<>();
            private boolean overflow;

            void add(ByteString value) {
                if (value == null || overflow || values.contains(value)) {
                    return;
                }
                if (values.size() == MAX_DICTIONARY_VALUES) {
                    overflow = true;
                    values.clear();
                    return;
                }
                values.add(value);
            }

            Dictionary build() {
                List<String> out = new ArrayList<>(values.size());
                for (ByteString b : values) {
                    out.add(b.toStringUtf8());
                }
                Collections.sort(out);
                return new Dictionary(overflow, out);
            }

            void reset() {
                values.clear();
                overflow = false;
            }
        }
    }

    /** The mask bit of an enum value: bits 0..6 for values 0..6, bit 7 for anything else. */
    public static int maskBit(int value) {
        return value >= 0 && value <= 6 ? 1 << value : 1 << 7;
    }

    /** Index of the column named {@code name}, or -1. */
    public int columnIndex(String name) {
        return columns.indexOf(name);
    }

    /**
     * Indexes {@code [from, to)} of the batches whose trace ID range includes {@code id}: empty, one,
     * or several consecutive batches when a trace larger than a batch was split.
     */
    public int[] batchesFor(TraceId id) {
        // First batch whose last trace ID >= id.
        int lo = 0;
        int hi = batches.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (batches.get(mid).lastTraceId().compareTo(id) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int to = lo;
        while (to < batches.size() && batches.get(to).firstTraceId().compareTo(id) <= 0) {
            to++;
        }
        return new int[] {lo, to};
    }

    /** Serializes the index (see {@code FORMAT.md}). */
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream(256 + batches.size() * 512);
            DataOutputStream out = new DataOutputStream(raw);
            byte[] schemaBytes = schema.serializeAsMessage();
            out.writeInt(schemaBytes.length);
            out.write(schemaBytes);
            out.writeLong(dataLength);
            out.writeInt(columns.size());
            for (String c : columns) {
                writeString(out, c);
            }
            out.writeInt(batches.size());
            for (Batch b : batches) {
                writeTraceId(out, b.firstTraceId());
                writeTraceId(out, b.lastTraceId());
                out.writeLong(b.offset());
                out.writeInt(b.metadataLength());
                out.writeLong(b.bodyLength());
                out.writeInt(b.rows());
                out.writeInt(b.traces());
                out.writeLong(b.minStartTimeUnixNano());
                out.writeLong(b.maxStartTimeUnixNano());
                out.writeLong(b.maxEndTimeUnixNano());
                out.writeLong(b.minDurationNano());
                out.writeLong(b.maxDurationNano());
                out.writeByte(b.statusMask());
                out.writeByte(b.kindMask());
                writeDictionary(out, b.serviceNames());
                writeDictionary(out, b.spanNames());
                for (int c = 0; c < columns.size(); c++) {
                    out.writeLong(b.columnOffsets()[c]);
                    out.writeLong(b.columnLengths()[c]);
                }
            }
            out.flush();
            byte[] payload = raw.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(payload);

            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            deflater.setInput(payload);
            deflater.finish();
            ByteArrayOutputStream packed = new ByteArrayOutputStream(payload.length / 3 + 64);
            DataOutputStream header = new DataOutputStream(packed);
            header.writeInt(MAGIC);
            header.writeShort(VERSION);
            header.writeInt(payload.length);
            header.writeInt((int) crc.getValue());
            byte[] buf = new byte[16 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                packed.write(buf, 0, n);
            }
            deflater.end();
            return packed.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
    }

    /**
     * Parses an index object.
     *
     * @throws IOException when the bytes are not an index of a known version, or are corrupt
     */
    public static BlockIndex parse(byte[] bytes) throws IOException {
        if (bytes.length < 14) {
            throw new IOException("index: " + bytes.length + " bytes (expected: >= 14); the object is truncated");
        }
        ByteBuffer head = ByteBuffer.wrap(bytes);
        int magic = head.getInt();
        if (magic != MAGIC) {
            throw new IOException("index magic: 0x" + Integer.toHexString(magic) + " (expected: 0x" + Integer.toHexString(MAGIC) + ")");
        }
        int version = head.getShort();
        if (version != VERSION) {
            throw new IOException("index version: " + version + " (expected: " + VERSION + "); written by a newer Vivace?");
        }
        int length = head.getInt();
        int expectedCrc = head.getInt();
        byte[] payload = new byte[length];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(bytes, 14, bytes.length - 14);
            int n = 0;
            while (n < length) {
                int r = inflater.inflate(payload, n, length - n);
                if (r == 0 && (inflater.finished() || inflater.needsInput())) {
                    break;
                }
                n += r;
            }
            if (n != length) {
                throw new IOException("index: inflated " + n + " bytes (expected: " + length + "); the object is corrupt");
            }
        } catch (DataFormatException e) {
            throw new IOException("index: corrupt compressed payload", e);
        } finally {
            inflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        if ((int) crc.getValue() != expectedCrc) {
            throw new IOException("index: checksum mismatch; the object is corrupt");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        byte[] schemaBytes = new byte[in.readInt()];
        in.readFully(schemaBytes);
        Schema schema = Schema.deserializeMessage(ByteBuffer.wrap(schemaBytes));
        long dataLength = in.readLong();
        int columnCount = in.readInt();
        List<String> columns = new ArrayList<>(columnCount);
        for (int i = 0; i < columnCount; i++) {
            columns.add(readString(in));
        }
        int batchCount = in.readInt();
        List<Batch> batches = new ArrayList<>(batchCount);
        for (int i = 0; i < batchCount; i++) {
            TraceId first = readTraceId(in);
            TraceId last = readTraceId(in);
            long offset = in.readLong();
            int metadataLength = in.readInt();
            long bodyLength = in.readLong();
            int rows = in.readInt();
            int traces = in.readInt();
            long minStart = in.readLong();
            long maxStart = in.readLong();
            long maxEnd = in.readLong();
            long minDuration = in.readLong();
            long maxDuration = in.readLong();
            int statusMask = in.readUnsignedByte();
            int kindMask = in.readUnsignedByte();
            Dictionary services = readDictionary(in);
            Dictionary names = readDictionary(in);
            long[] offsets = new long[columnCount];
            long[] lengths = new long[columnCount];
            for (int c = 0; c < columnCount; c++) {
                offsets[c] = in.readLong();
                lengths[c] = in.readLong();
            }
            batches.add(new Batch(first, last, offset, metadataLength, bodyLength, rows, traces, minStart, maxStart, maxEnd,
                    minDuration, maxDuration, statusMask, kindMask, services, names, offsets, lengths));
        }
        return new BlockIndex(schema, dataLength, columns, batches);
    }

    private static void writeTraceId(DataOutputStream out, TraceId id) throws IOException {
        out.writeLong(id.high());
        out.writeLong(id.low());
    }

    private static TraceId readTraceId(DataInputStream in) throws IOException {
        return new TraceId(in.readLong(), in.readLong());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeDictionary(DataOutputStream out, Dictionary d) throws IOException {
        out.writeInt(d.overflow() ? -1 : d.values().size());
        for (String v : d.values()) {
            writeString(out, v);
        }
    }

    private static Dictionary readDictionary(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return new Dictionary(true, List.of());
        }
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(readString(in));
        }
        return new Dictionary(false, values);
    }
}
