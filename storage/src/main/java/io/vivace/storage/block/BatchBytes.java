package io.vivace.storage.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowBodyCompression;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The bytes of one record batch of {@code data} fetched so far, and loads of any subset of its
 * fields. A search fetches the message metadata (the field nodes and the buffer table, a few KB)
 * with the columns it needs first, then only the buffers of the fields it evaluates, and finally,
 * for batches holding a match, the rest; nothing is fetched twice.
 *
 * <p>A partial load rebuilds a record batch for a pruned schema: the IPC body lists each field's
 * node and buffers depth first, so keeping the nodes and buffers of the selected fields, in order,
 * and dropping the others (whole columns, or struct children such as the value children of an
 * attribute list) gives a well-formed record batch of the pruned schema. Arrow's own
 * {@link VectorLoader} then decompresses and loads it as usual. Not thread-safe: one search, one
 * batch.
 */
final class BatchBytes {
    /** Ranges closer than this are fetched in one read (the gap is alignment padding or a tiny column). */
    static final int MERGE_GAP = 256;

    private final BlockReader reader;
    private final FieldLayout layout;
    private final BlockIndex.Batch batch;
    private final int number;
    private final List<Chunk> chunks = new ArrayList<>(); // sorted by start, disjoint
    private long fetched;
    private Metadata metadata;

    private record Chunk(long start, byte[] bytes) {
        long end() {
            return start + bytes.length;
        }
    }

    private record Metadata(int rows, long[] nodeLength, long[] nodeNulls, long[] bufferOffset, long[] bufferLength,
            ArrowBodyCompression compression) {}

    private final LongConsumer onFetch;
    private final PlannedReads planned; // null: every read is its own request

    /** Bytes of batch {@code number}; {@code onFetch} is told the size of every read. */
    BatchBytes(BlockReader reader, BlockIndex index, int number, LongConsumer onFetch) {
        this(reader, index, number, onFetch, null);
    }

    /**
     * Bytes of batch {@code number}, taking the ranges {@code planned} holds from it (which counts
     * its requests itself); {@code onFetch} is told the size of every other read.
     */
    BatchBytes(BlockReader reader, BlockIndex index, int number, LongConsumer onFetch, PlannedReads planned) {
        this.reader = reader;
        this.onFetch = onFetch;
        this.planned = planned;
        this.layout = FieldLayout.of(index.schema());
        this.batch = index.batches().get(number);
        this.number = number;
    }

    /** The batch's number in the block. */
    int number() {
        return number;
    }

    /** The batch's index entry. */
    BlockIndex.Batch batch() {
        return batch;
    }

    /** Bytes fetched from the object store so far. */
    long fetchedBytes() {
        return fetched;
    }

    private long bodyStart() {
        return batch.offset() + batch.metadataLength();
    }

    /**
     * Fetches the message metadata and the whole {@code columns} not fetched yet, by the byte ranges
     * the index gives (no metadata needed to plan it).
     */
    void fetchColumns(Collection<String> columns) throws IOException {
        fetchRanges(columnRanges(layout, batch, columns));
    }

    /**
     * The reads {@link #fetchColumns} makes on a batch nothing was fetched from yet: sorted,
     * disjoint {from, to} positions in {@code data}.
     */
    static List<long[]> plannedColumns(BlockIndex index, int number, Collection<String> columns) {
        return merge(columnRanges(FieldLayout.of(index.schema()), index.batches().get(number), columns));
    }

    private static List<long[]> columnRanges(FieldLayout layout, BlockIndex.Batch batch, Collection<String> columns) {
        long bodyStart = batch.offset() + batch.metadataLength();
        List<long[]> ranges = new ArrayList<>();
        ranges.add(new long[] {batch.offset(), bodyStart});
        for (String name : columns) {
            int c = layout.column(name);
            long length = batch.columnLengths()[c];
            if (length > 0) {
                long from = bodyStart + batch.columnOffsets()[c];
                ranges.add(new long[] {from, from + length});
            }
        }
        return ranges;
    }

    /** Fetches everything of the batch not fetched yet. */
    void fetchAll() throws IOException {
        List<long[]> ranges = new ArrayList<>();
        ranges.add(new long[] {batch.offset(), batch.offset() + batch.length()});
        fetchRanges(ranges);
    }

    /** Fetches the buffers of the selected fields not fetched yet (the metadata first, when needed). */
    void fetch(ColumnSelection selection) throws IOException {
        if (metadata == null && !covered(batch.offset(), bodyStart())) {
            // One round: the metadata with the selected columns whole, as the index ranges them.
            fetchColumns(selection.columns());
            return;
        }
        Metadata m = metadata();
        List<long[]> ranges = new ArrayList<>();
        for (FieldLayout.Slot slot : layout.slots) {
            String column = layout.schema.getFields().get(slot.column()).getName();
            if (!selection.keeps(column, slot.path())) {
                continue;
            }
            for (int b = slot.firstBuffer(); b < slot.firstBuffer() + slot.buffers(); b++) {
                if (m.bufferLength()[b] > 0) {
                    long from = bodyStart() + m.bufferOffset()[b];
                    ranges.add(new long[] {from, from + m.bufferLength()[b]});
                }
            }
        }
        fetchRanges(ranges);
    }

    /** The null count of top-level column {@code name} (from the metadata, fetched when needed). */
    long nullCount(String name) throws IOException {
        return metadata().nodeNulls()[layout.columnSlot(layout.column(name)).node()];
    }

    /**
     * Non-null values of the field at {@code path} inside top-level column {@code column} (from the
     * metadata, fetched when needed): zero means the batch holds no value there.
     */
    long valueCount(String column, String path) throws IOException {
        Metadata m = metadata();
        int c = layout.column(column);
        for (int s = layout.columnStart[c]; s < layout.columnStart[c + 1]; s++) {
            FieldLayout.Slot slot = layout.slots.get(s);
            if (slot.path().equals(path)) {
                return m.nodeLength()[slot.node()] - m.nodeNulls()[slot.node()];
            }
        }
        throw new IllegalArgumentException("path: " + path + " (expected: a field of column " + column + ")");
    }

    /** Rows of the batch, as its metadata says. */
    int rows() throws IOException {
        return metadata().rows();
    }

    /**
     * Loads the selected fields (fetching what is missing) into a new root of a schema holding only
     * them, in {@code alloc}; the caller closes the root.
     */
    VectorSchemaRoot load(ColumnSelection selection, BufferAllocator alloc) throws IOException {
        fetch(selection);
        return loadFetched(selection, alloc);
    }

    /** Loads every column (fetching what is missing) into a new root of the full schema. */
    VectorSchemaRoot loadAll(BufferAllocator alloc) throws IOException {
        fetchAll();
        ColumnSelection all = new ColumnSelection();
        for (Field f : layout.schema.getFields()) {
            all.whole(f.getName());
        }
        return loadFetched(all, alloc);
    }

    private VectorSchemaRoot loadFetched(ColumnSelection selection, BufferAllocator alloc) throws IOException {
        Metadata m = metadata();
        List<Field> fields = new ArrayList<>();
        List<ArrowFieldNode> nodes = new ArrayList<>();
        List<ArrowBuf> buffers = new ArrayList<>();
        Map<Chunk, ArrowBuf> arrow = new IdentityHashMap<>();
        ArrowRecordBatch records = null;
        try {
            List<Field> top = layout.schema.getFields();
            for (int c = 0; c < top.size(); c++) {
                String name = top.get(c).getName();
                if (selection.keeps(name, "")) {
                    int[] slot = {layout.columnStart[c]};
                    fields.add(prune(name, slot, m, nodes, buffers, arrow, alloc, selection));
                }
            }
            // The record batch retains the buffers; ours are released below.
            records = new ArrowRecordBatch(m.rows(), nodes, buffers, m.compression());
        } finally {
            for (ArrowBuf b : arrow.values()) {
                b.close();
            }
        }
        try (ArrowRecordBatch batchRecords = records) {
            VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), alloc);
            try {
                new VectorLoader(root, CommonsCompressionFactory.INSTANCE).load(batchRecords);
            } catch (RuntimeException e) {
                root.close();
                throw new IOException("batch " + number + " of block " + reader.meta().blockId() + " is corrupt: " + e.getMessage(), e);
            }
            if (root.getRowCount() != batch.rows()) {
                root.close();
                throw new IOException("batch " + number + " of block " + reader.meta().blockId() + ": " + root.getRowCount()
                        + " rows (expected: " + batch.rows() + " as the index says)");
            }
            return root;
        }
    }

    /**
     * Adds the node and buffers of the slot at {@code slot[0]} and of its selected descendants, in
     * IPC order, and returns the field pruned to them; advances {@code slot[0]} past the subtree.
     */
    private Field prune(String column, int[] slot, Metadata m, List<ArrowFieldNode> nodes, List<ArrowBuf> buffers,
            Map<Chunk, ArrowBuf> arrow, BufferAllocator alloc, ColumnSelection selection) throws IOException {
        FieldLayout.Slot s = layout.slots.get(slot[0]++);
        nodes.add(new ArrowFieldNode(m.nodeLength()[s.node()], m.nodeNulls()[s.node()]));
        for (int b = s.firstBuffer(); b < s.firstBuffer() + s.buffers(); b++) {
            buffers.add(buffer(b, m, arrow, alloc));
        }
        List<Field> children = new ArrayList<>();
        for (Field ignored : s.field().getChildren()) {
            FieldLayout.Slot child = layout.slots.get(slot[0]);
            if (selection.keeps(column, child.path())) {
                children.add(prune(column, slot, m, nodes, buffers, arrow, alloc, selection));
            } else {
                slot[0] = skip(slot[0]);
            }
        }
        return new Field(s.field().getName(), s.field().getFieldType(), children);
    }

    /** The slot index just past the subtree rooted at {@code slot}. */
    private int skip(int slot) {
        int next = slot + 1;
        for (int i = 0; i < layout.slots.get(slot).field().getChildren().size(); i++) {
            next = skip(next);
        }
        return next;
    }

    private ArrowBuf buffer(int b, Metadata m, Map<Chunk, ArrowBuf> arrow, BufferAllocator alloc) throws IOException {
        long length = m.bufferLength()[b];
        if (length == 0) {
            return alloc.getEmpty();
        }
        long from = bodyStart() + m.bufferOffset()[b];
        Chunk chunk = chunkHolding(from, from + length);
        if (chunk == null) {
            throw new IllegalStateException("buffer " + b + " of batch " + number + " was not fetched");
        }
        ArrowBuf whole = arrow.get(chunk);
        if (whole == null) {
            whole = alloc.buffer(chunk.bytes().length);
            whole.setBytes(0, chunk.bytes());
            whole.writerIndex(chunk.bytes().length);
            arrow.put(chunk, whole);
        }
        return whole.slice(from - chunk.start(), length);
    }

    private Chunk chunkHolding(long from, long to) {
        for (Chunk c : chunks) {
            if (c.start() <= from && to <= c.end()) {
                return c;
            }
        }
        return null;
    }

    private boolean covered(long from, long to) {
        return chunkHolding(from, to) != null;
    }

    /** Fetches the parts of {@code ranges} not fetched yet, merging runs separated by less than {@link #MERGE_GAP}. */
    private void fetchRanges(List<long[]> ranges) throws IOException {
        for (long[] r : merge(ranges)) {
            // Read the first part of r no chunk covers, until none is left (a planned read may bring more than asked).
            for (long[] g = firstGap(r[0], r[1]); g != null; g = firstGap(g[1], r[1])) {
                read(g[0], g[1]);
            }
        }
    }

    /** The first part of {@code [from, to)} no chunk covers, or null. */
    private long[] firstGap(long from, long to) {
        for (Chunk c : chunks) { // sorted
            if (c.end() <= from) {
                continue;
            }
            if (c.start() >= to) {
                break;
            }
            if (c.start() > from) {
                return new long[] {from, c.start()};
            }
            from = c.end();
        }
        return from < to ? new long[] {from, to} : null;
    }

    /** {@code ranges} sorted and merged where less than {@link #MERGE_GAP} apart (sorts {@code ranges}). */
    private static List<long[]> merge(List<long[]> ranges) {
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            if (r[1] <= r[0]) {
                continue;
            }
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + MERGE_GAP) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new long[] {r[0], r[1]});
            }
        }
        return merged;
    }

    /** Reads {@code [from, to)}, which no chunk covers: from a planned request when one holds it. */
    private void read(long from, long to) throws IOException {
        PlannedReads.Piece piece = planned == null ? null : planned.take(from, to, batch.offset(), batch.offset() + batch.length());
        Chunk chunk;
        if (piece != null) {
            chunk = new Chunk(piece.start(), piece.bytes());
            if (overlapsChunk(chunk.start(), chunk.end())) { // keep chunks disjoint: only the part asked for
                chunk = new Chunk(from, Arrays.copyOfRange(piece.bytes(), Math.toIntExact(from - piece.start()),
                        Math.toIntExact(to - piece.start())));
            }
        } else {
            byte[] bytes = reader.readData(from, Math.toIntExact(to - from));
            onFetch.accept(bytes.length);
            chunk = new Chunk(from, bytes);
        }
        fetched += chunk.bytes().length;
        int at = 0;
        while (at < chunks.size() && chunks.get(at).start() < chunk.start()) {
            at++;
        }
        chunks.add(at, chunk);
    }

    private boolean overlapsChunk(long from, long to) {
        for (Chunk c : chunks) {
            if (c.start() < to && from < c.end()) {
                return true;
            }
        }
        return false;
    }

    private Metadata metadata() throws IOException {
        if (metadata == null) {
            Chunk chunk = chunkHolding(batch.offset(), bodyStart());
            if (chunk == null) {
                fetchRanges(new ArrayList<>(List.of(new long[] {batch.offset(), bodyStart()})));
                chunk = chunkHolding(batch.offset(), bodyStart());
            }
            metadata = parse(chunk.bytes(), (int) (batch.offset() - chunk.start()), batch.metadataLength());
        }
        return metadata;
    }

    private Metadata parse(byte[] bytes, int offset, int length) throws IOException {
        try {
            ByteBuffer meta = ByteBuffer.wrap(bytes, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
            int prefix = meta.getInt(0) == -1 ? 8 : 4; // continuation marker, then the length
            ByteBuffer fb = meta.position(prefix).slice().order(ByteOrder.LITTLE_ENDIAN);
            Message message = Message.getRootAsMessage(fb);
            if (message.headerType() != MessageHeader.RecordBatch) {
                throw corrupt("message type " + message.headerType() + " (expected: a record batch)");
            }
            RecordBatch rb = (RecordBatch) message.header(new RecordBatch());
            if (rb.nodesLength() != layout.nodes || rb.buffersLength() != layout.buffers) {
                throw corrupt(rb.nodesLength() + " field nodes and " + rb.buffersLength() + " buffers (expected: " + layout.nodes
                        + " and " + layout.buffers + " as the schema says)");
            }
            long[] nodeLength = new long[rb.nodesLength()];
            long[] nodeNulls = new long[rb.nodesLength()];
            for (int i = 0; i < nodeLength.length; i++) {
                FieldNode n = rb.nodes(i);
                nodeLength[i] = n.length();
                nodeNulls[i] = n.nullCount();
            }
            long[] bufferOffset = new long[rb.buffersLength()];
            long[] bufferLength = new long[rb.buffersLength()];
            for (int i = 0; i < bufferOffset.length; i++) {
                Buffer b = rb.buffers(i);
                bufferOffset[i] = b.offset();
                bufferLength[i] = b.length();
                if (b.offset() < 0 || b.length() < 0 || b.offset() + b.length() > batch.bodyLength()) {
                    throw corrupt("buffer " + i + " at [" + b.offset() + ", +" + b.length() + ") (expected: inside the "
                            + batch.bodyLength() + "-byte body)");
                }
            }
            BodyCompression bc = rb.compression();
            ArrowBodyCompression compression = bc == null ? NoCompressionCodec.DEFAULT_BODY_COMPRESSION
                    : new ArrowBodyCompression(bc.codec(), bc.method());
            return new Metadata(Math.toIntExact(rb.length()), nodeLength, nodeNulls, bufferOffset, bufferLength, compression);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw corrupt("unreadable message metadata: " + e.getMessage());
        }
    }

    private IOException corrupt(String what) {
        return new IOException("batch " + number + " of block " + reader.meta().blockId() + " is corrupt: " + what);
    }
}
