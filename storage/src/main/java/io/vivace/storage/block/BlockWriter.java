package io.vivace.storage.block;

import io.vivace.model.TraceId;
import io.vivace.storage.object.ObjectKeys;
import io.vivace.storage.object.ObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Writes blocks in the current format to an {@link ObjectStore}: {@code data}, {@code index},
 * {@code bloom-N}, and last {@code meta.json}, so that a crash mid-write leaves no visible block.
 *
 * <p>Traces stream through one record batch of Arrow vectors at a time; the encoded {@code data}
 * object itself is assembled in memory because {@link ObjectStore#write} takes whole objects.
 * Thread-safe: each {@link #write} uses its own buffers.
 */
public final class BlockWriter {
    /**
     * ZSTD level of the column buffers: 3, ZSTD's default. Measured on the benchmark corpus: levels 1
     * and 2 store 1 % less (high-entropy times compress better) but a constant Int64 column costs
     * them 0.26 B/row instead of 0.01, a bad trade for real data full of near-constant columns;
     * level 6 saves 3 % but writes about 20 % slower; level 9 halves write throughput.
     */
    static final int ZSTD_LEVEL = 3;
    /** Shards get this headroom over the configured size, since IDs spread only statistically evenly. */
    private static final double SHARD_HEADROOM = 1.15;

    private final ObjectStore store;
    private final BlockWriterConfig config;
    private final BufferAllocator allocator;

    /** Creates a writer. */
    public BlockWriter(ObjectStore store, BlockWriterConfig config) {
        this(store, config, ArrowMemory.ROOT);
    }

    /** Creates a writer that takes Arrow memory from {@code allocator} (tests use it to check for leaks). */
    public BlockWriter(ObjectStore store, BlockWriterConfig config, BufferAllocator allocator) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        if (config.rowsPerBatch() <= 0) {
            throw new IllegalArgumentException("rowsPerBatch: " + config.rowsPerBatch() + " (expected: > 0)");
        }
        if (!(config.bloomFalsePositiveRate() > 0 && config.bloomFalsePositiveRate() < 1)) {
            throw new IllegalArgumentException("bloomFalsePositiveRate: " + config.bloomFalsePositiveRate() + " (expected: > 0 and < 1)");
        }
        if (config.bloomShardSizeBytes() <= 0) {
            throw new IllegalArgumentException("bloomShardSizeBytes: " + config.bloomShardSizeBytes() + " (expected: > 0)");
        }
    }

    /** Key of a block's object {@code name}: {@code <tenant>/<blockId>/<name>}. */
    public static String key(String tenant, UUID blockId, String name) {
        return tenant + "/" + blockId + "/" + name;
    }

    /**
     * Writes one block.
     *
     * @param tenant the tenant
     * @param blockId the new block's ID
     * @param compactionLevel 0 for ingester blocks
     * @param traces traces in ascending trace ID order, each ID once, spans already de-duplicated;
     *     at least one. Span IDs must be 8 bytes, parent span IDs 0 or 8, span trace IDs the 16 bytes
     *     of the entry's ID.
     * @return the block's meta, as written
     * @throws IllegalArgumentException when the traces break the rules above
     */
    public BlockMeta write(String tenant, UUID blockId, int compactionLevel, Iterator<TraceEntry> traces) throws IOException {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(blockId, "blockId");
        Objects.requireNonNull(traces, "traces");
        if (tenant.contains("/")) {
            throw new IllegalArgumentException("tenant: " + tenant + " (expected: no '/')");
        }
        ObjectKeys.validateKey(tenant);
        if (compactionLevel < 0) {
            throw new IllegalArgumentException("compactionLevel: " + compactionLevel + " (expected: >= 0)");
        }
        Run run = new Run();
        try (BufferAllocator alloc = allocator.newChildAllocator("block-writer-" + blockId, 0, Long.MAX_VALUE);
                SpanBatchBuilder builder = new SpanBatchBuilder(alloc, config.rowsPerBatch())) {
            ByteArrayOutputChannel out = new ByteArrayOutputChannel();
            try (ArrowFileWriter fw = new ArrowFileWriter(builder.root(), new DictionaryProvider.MapDictionaryProvider(), out,
                    Map.of(SpanColumns.METADATA_FORMAT, BlockMeta.FORMAT_V_ARROW1), IpcOption.DEFAULT,
                    CommonsCompressionFactory.INSTANCE, CompressionUtil.CodecType.ZSTD, Optional.of(ZSTD_LEVEL))) {
                fw.start();
                int rowsPerBatch = config.rowsPerBatch();
                while (traces.hasNext()) {
                    TraceEntry entry = traces.next();
                    run.accept(entry.id());
                    TraceLayout trace = new TraceLayout(entry.id(), entry.resourceSpans());
                    int n = trace.rows.length;
                    if (n == 0) {
                        throw new IllegalArgumentException("trace " + entry.id() + ": no spans (expected: at least one)");
                    }
                    // Keep a trace in one batch unless it alone is larger than a batch.
                    if (builder.rows() > 0 && builder.rows() + n > rowsPerBatch) {
                        run.flush(fw, builder, out);
                    }
                    for (int i = 0; i < n; i++) {
                        if (builder.rows() == rowsPerBatch) {
                            run.flush(fw, builder, out);
                        }
                        builder.add(trace, i);
                    }
                    run.spans += n;
                    run.minStart = Math.min(run.minStart, trace.traceStart);
                    run.maxEnd = Math.max(run.maxEnd, trace.traceEnd);
                }
                if (builder.rows() > 0) {
                    run.flush(fw, builder, out);
                }
                if (run.traces == 0) {
                    throw new IllegalArgumentException("traces: none (expected: at least one trace per block)");
                }
                fw.end();
            }
            byte[] data = out.toByteArray();
            store.write(key(tenant, blockId, "data"), data);
            List<String> columns = SpanColumns.SCHEMA.getFields().stream().map(Field::getName).toList();
            byte[] index = new BlockIndex(SpanColumns.SCHEMA, data.length, columns, run.batches).toBytes();
            store.write(key(tenant, blockId, "index"), index);
            long bloomBytes = writeBlooms(tenant, blockId, run);
            BlockMeta meta = new BlockMeta(BlockMeta.FORMAT_V_ARROW1, blockId, tenant, run.minStart, run.maxEnd, run.traces,
                    run.spans, data.length + index.length + bloomBytes, compactionLevel, run.batches.size(), run.bloomShards,
                    run.minId.toHex(), run.maxId.toHex());
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("dataSize", data.length);
            stats.put("indexSize", index.length);
            stats.put("bloomSize", bloomBytes);
            stats.put("rowsPerBatch", config.rowsPerBatch());
            stats.put("compression", "zstd-" + ZSTD_LEVEL);
            stats.put("columnSizes", columnSizes(columns, run.batches));
            store.write(key(tenant, blockId, "meta.json"), BlockMetaJson.toJson(meta, stats));
            return meta;
        }
    }

    private long writeBlooms(String tenant, UUID blockId, Run run) throws IOException {
        long totalBytes = BloomFilter.optimalBits(run.traces, config.bloomFalsePositiveRate()) / 8;
        int shards = (int) Math.max(1, Math.ceil(totalBytes * SHARD_HEADROOM / config.bloomShardSizeBytes()));
        int[] counts = new int[shards];
        for (int i = 0; i < run.traces; i++) {
            counts[BloomFilter.shardOfHash(run.hashes[i], shards)]++;
        }
        BloomFilter[] filters = new BloomFilter[shards];
        for (int s = 0; s < shards; s++) {
            filters[s] = BloomFilter.create(counts[s], config.bloomFalsePositiveRate());
        }
        for (int i = 0; i < run.traces; i++) {
            long h = run.hashes[i];
            filters[BloomFilter.shardOfHash(h, shards)].addHash(h);
        }
        long bytes = 0;
        for (int s = 0; s < shards; s++) {
            byte[] b = filters[s].toBytes();
            store.write(key(tenant, blockId, "bloom-" + s), b);
            bytes += b.length;
        }
        run.bloomShards = shards;
        return bytes;
    }

    private static Map<String, Long> columnSizes(List<String> columns, List<BlockIndex.Batch> batches) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            long sum = 0;
            for (BlockIndex.Batch b : batches) {
                sum += b.columnLengths()[c];
            }
            sizes.put(columns.get(c), sum);
        }
        return sizes;
    }

    /** State of one {@link #write}. */
    private static final class Run {
        final List<BlockIndex.Batch> batches = new ArrayList<>();
        long[] hashes = new long[1024];
        int traces;
        long spans;
        long minStart = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        TraceId minId;
        TraceId maxId;
        int bloomShards;

        void accept(TraceId id) {
            Objects.requireNonNull(id, "trace id");
            if (maxId != null && id.compareTo(maxId) <= 0) {
                throw new IllegalArgumentException("trace " + id + " after " + maxId + " (expected: ascending trace IDs, each once)");
            }
            if (minId == null) {
                minId = id;
            }
            maxId = id;
            if (traces == hashes.length) {
                hashes = Arrays.copyOf(hashes, hashes.length * 2);
            }
            hashes[traces++] = BloomFilter.hash(id);
        }

        void flush(ArrowFileWriter fw, SpanBatchBuilder builder, ByteArrayOutputChannel out) throws IOException {
            builder.finish();
            fw.writeBatch();
            List<ArrowBlock> blocks = fw.getRecordBlocks();
            ArrowBlock block = blocks.get(blocks.size() - 1);
            long[][] ranges = columnRanges(out, block);
            SpanBatchBuilder.BatchStats s = builder.stats;
            batches.add(new BlockIndex.Batch(s.first, s.last, block.getOffset(), block.getMetadataLength(), block.getBodyLength(),
                    builder.rows(), s.traces, s.minStart, s.maxStart, s.maxEnd, s.minDuration, s.maxDuration, s.statusMask,
                    s.kindMask, s.serviceNames.build(), s.spanNames.build(), ranges[0], ranges[1]));
            builder.reset();
        }
    }

    /** Buffers per top-level column, children included, in the order the IPC body lays them out. */
    private static final int[] BUFFERS_PER_COLUMN = SpanColumns.SCHEMA.getFields().stream()
            .mapToInt(BlockWriter::bufferCount).toArray();

    private static int bufferCount(Field f) {
        int n = TypeLayout.getTypeBufferCount(f.getType());
        for (Field c : f.getChildren()) {
            n += bufferCount(c);
        }
        return n;
    }

    /**
     * Reads back the batch's message metadata from {@code out} and turns its buffer table into one
     * byte range per top-level column, so that a search can later fetch single columns.
     */
    private static long[][] columnRanges(ByteArrayOutputChannel out, ArrowBlock block) {
        ByteBuffer meta = ByteBuffer.wrap(out.array(), (int) block.getOffset(), block.getMetadataLength()).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        int prefix = meta.getInt(0) == -1 ? 8 : 4; // continuation marker, then the length
        ByteBuffer fb = meta.position(prefix).slice().order(ByteOrder.LITTLE_ENDIAN);
        Message message = Message.getRootAsMessage(fb);
        RecordBatch rb = (RecordBatch) message.header(new RecordBatch());
        int columns = BUFFERS_PER_COLUMN.length;
        long[] offsets = new long[columns];
        long[] lengths = new long[columns];
        int buffer = 0;
        for (int c = 0; c < columns; c++) {
            long from = Long.MAX_VALUE;
            long to = 0;
            for (int k = 0; k < BUFFERS_PER_COLUMN[c]; k++, buffer++) {
                org.apache.arrow.flatbuf.Buffer b = rb.buffers(buffer);
                from = Math.min(from, b.offset());
                to = Math.max(to, b.offset() + b.length());
            }
            offsets[c] = from == Long.MAX_VALUE ? 0 : from;
            lengths[c] = Math.max(0, to - offsets[c]);
        }
        if (buffer != rb.buffersLength()) {
            throw new IllegalStateException("record batch has " + rb.buffersLength() + " buffers (expected: " + buffer + ")");
        }
        return new long[][] {offsets, lengths};
    }
}
