package io.vivace.storage.block;

import io.vivace.model.TraceId;
import io.vivace.storage.object.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongConsumer;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/**
 * Reads one block. Opening it reads nothing but {@code meta}; the index, the bloom shards and the
 * Arrow schema are read on first use and kept.
 *
 * <p>A trace lookup reads one bloom shard, then exactly the record batch (or, for a trace larger
 * than a batch, the consecutive batches) whose trace ID range covers the ID, by byte range. Arrow
 * memory lives only while one batch is decoded, in a child allocator closed before the call
 * returns, so a reader holds no off-heap memory between calls and needs no closing to free it.
 * Thread-safe.
 */
public final class BlockReader implements AutoCloseable {
    private final ObjectStore store;
    private final BlockMeta meta;
    private final BufferAllocator allocator;
    private final TraceId minId;
    private final TraceId maxId;
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicReferenceArray<BloomFilter> blooms;
    private volatile BlockIndex index;
    private volatile boolean closed;

    private BlockReader(ObjectStore store, BlockMeta meta, BufferAllocator allocator) {
        this.store = Objects.requireNonNull(store, "store");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        if (!BlockMeta.FORMAT_V_ARROW1.equals(meta.format())) {
            throw new IllegalArgumentException("format: " + meta.format() + " of block " + meta.blockId()
                    + " (expected: " + BlockMeta.FORMAT_V_ARROW1 + ")");
        }
        if (meta.bloomShards() < 1) {
            throw new IllegalArgumentException("bloomShards: " + meta.bloomShards() + " of block " + meta.blockId() + " (expected: >= 1)");
        }
        this.minId = TraceId.parseHex(meta.minTraceId());
        this.maxId = TraceId.parseHex(meta.maxTraceId());
        this.blooms = new AtomicReferenceArray<>(meta.bloomShards());
    }

    /** Opens the block described by {@code meta}. */
    public static BlockReader open(ObjectStore store, BlockMeta meta) {
        return new BlockReader(store, meta, ArrowMemory.ROOT);
    }

    /** Opens the block, taking Arrow memory from {@code allocator} (tests use it to check for leaks). */
    public static BlockReader open(ObjectStore store, BlockMeta meta, BufferAllocator allocator) {
        return new BlockReader(store, meta, allocator);
    }

    /** The block's meta. */
    public BlockMeta meta() {
        return meta;
    }

    /** True when the bloom filter says the block may hold {@code id}; false means it does not. */
    public boolean mayContain(TraceId id) throws IOException {
        Objects.requireNonNull(id, "id");
        checkOpen();
        if (id.compareTo(minId) < 0 || id.compareTo(maxId) > 0) {
            return false; // outside the block's ID range: no need to read a shard
        }
        int shard = BloomFilter.shardOf(id, blooms.length());
        BloomFilter bloom = blooms.get(shard);
        if (bloom == null) {
            byte[] bytes = store.read(key("bloom-" + shard));
            bytesRead.addAndGet(bytes.length);
            bloom = BloomFilter.fromBytes(bytes);
            blooms.compareAndSet(shard, null, bloom);
        }
        return bloom.mightContain(id);
    }

    /** The trace's spans if the block holds it, after bloom and index checks. */
    public Optional<TraceEntry> findTrace(TraceId id) throws IOException {
        if (!mayContain(id)) {
            return Optional.empty();
        }
        BlockIndex idx = index();
        int[] range = idx.batchesFor(id);
        if (range[0] == range[1]) {
            return Optional.empty();
        }
        TraceAssembler trace = new TraceAssembler(id);
        try (BufferAllocator alloc = childAllocator()) {
            for (int b = range[0]; b < range[1]; b++) {
                try (VectorSchemaRoot root = loadBatch(idx, b, alloc)) {
                    SpanBatchDecoder decoder = new SpanBatchDecoder(root);
                    for (int row = decoder.lowerBound(id); row < decoder.rows() && decoder.traceIdAt(row).equals(id); row++) {
                        decoder.decode(row, trace);
                    }
                }
            }
        }
        return trace.spans() == 0 ? Optional.empty() : Optional.of(trace.build());
    }

    /** Bytes this reader fetched from the object store so far. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Every trace in ascending ID order (for compaction and tests), decoding one batch at a time. */
    public Iterator<TraceEntry> traces() throws IOException {
        checkOpen();
        return new TraceIterator(index());
    }

    /** The block's index, read on first use and kept. */
    public BlockIndex index() throws IOException {
        return index(bytes -> { });
    }

    /**
     * The block's index; when this call is the one that reads it, {@code onRead} gets the bytes
     * read (so that a search can account for them).
     */
    BlockIndex index(LongConsumer onRead) throws IOException {
        checkOpen();
        BlockIndex idx = index;
        if (idx == null) {
            synchronized (this) {
                idx = index;
                if (idx == null) {
                    byte[] bytes = store.read(key("index"));
                    bytesRead.addAndGet(bytes.length);
                    onRead.accept(bytes.length);
                    idx = BlockIndex.parse(bytes);
                    if (idx.batches().size() != meta.totalRecordBatches()) {
                        throw new IOException("index of block " + meta.blockId() + ": " + idx.batches().size()
                                + " batches (expected: " + meta.totalRecordBatches() + " as meta.json says)");
                    }
                    index = idx;
                }
            }
        }
        return idx;
    }

    /**
     * Fetches record batch {@code batch} by byte range and loads it into a new root in
     * {@code alloc}; the caller closes the root.
     */
    VectorSchemaRoot loadBatch(BlockIndex idx, int batch, BufferAllocator alloc) throws IOException {
        BlockIndex.Batch b = idx.batches().get(batch);
        byte[] bytes = store.readRange(key("data"), b.offset(), Math.toIntExact(b.length()));
        bytesRead.addAndGet(bytes.length);
        ReadChannel channel = new ReadChannel(new ByteArrayReadableSeekableByteChannel(bytes));
        try (ArrowRecordBatch records = MessageSerializer.deserializeRecordBatch(channel,
                new ArrowBlock(0, b.metadataLength(), b.bodyLength()), alloc)) {
            VectorSchemaRoot root = VectorSchemaRoot.create(idx.schema(), alloc);
            try {
                new VectorLoader(root, CommonsCompressionFactory.INSTANCE).load(records);
            } catch (RuntimeException e) {
                root.close();
                throw new IOException("batch " + batch + " of block " + meta.blockId() + " is corrupt: " + e.getMessage(), e);
            }
            if (root.getRowCount() != b.rows()) {
                root.close();
                throw new IOException("batch " + batch + " of block " + meta.blockId() + ": " + root.getRowCount()
                        + " rows (expected: " + b.rows() + " as the index says)");
            }
            return root;
        }
    }

    /** {@code length} bytes of {@code data} at {@code offset}, counted in {@link #bytesRead}. */
    byte[] readData(long offset, int length) throws IOException {
        checkOpen();
        byte[] bytes = store.readRange(key("data"), offset, length);
        bytesRead.addAndGet(bytes.length);
        return bytes;
    }

    /** A new child of the reader's allocator; the caller closes it. */
    BufferAllocator childAllocator() {
        return allocator.newChildAllocator("block-reader-" + meta.blockId(), 0, Long.MAX_VALUE);
    }

    private String key(String name) {
        return BlockWriter.key(meta.tenant(), meta.blockId(), name);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("reader of block " + meta.blockId() + " is closed");
        }
    }

    /** Drops the cached index and bloom shards; later calls fail. */
    @Override
    public void close() {
        closed = true;
        index = null;
        for (int i = 0; i < blooms.length(); i++) {
            blooms.set(i, null);
        }
    }

    /**
     * Decodes one batch at a time into whole traces; the last trace of a batch is held back until
     * the next batch shows whether it continues there (a trace larger than a batch).
     */
    private final class TraceIterator implements Iterator<TraceEntry> {
        private final BlockIndex idx;
        private final ArrayDeque<TraceAssembler> ready = new ArrayDeque<>();
        private TraceAssembler pending;
        private int nextBatch;

        TraceIterator(BlockIndex idx) {
            this.idx = idx;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && (pending != null || nextBatch < idx.batches().size())) {
                if (nextBatch < idx.batches().size()) {
                    try {
                        decodeBatch(nextBatch++);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                } else {
                    ready.add(pending);
                    pending = null;
                }
            }
            return !ready.isEmpty();
        }

        @Override
        public TraceEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll().build();
        }

        private void decodeBatch(int batch) throws IOException {
            checkOpen();
            try (BufferAllocator alloc = childAllocator(); VectorSchemaRoot root = loadBatch(idx, batch, alloc)) {
                SpanBatchDecoder decoder = new SpanBatchDecoder(root);
                for (int row = 0; row < decoder.rows(); row++) {
                    TraceId id = decoder.traceIdAt(row);
                    if (pending == null || !pending.id().equals(id)) {
                        if (pending != null) {
                            ready.add(pending);
                        }
                        pending = new TraceAssembler(id);
                    }
                    decoder.decode(row, pending);
                }
            }
        }
    }
}
