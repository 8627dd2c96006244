package io.vivace.storage.block;

import io.vivace.model.TraceId;
import io.vivace.traceql.engine.EvalTrace;
import io.vivace.traceql.engine.FetchRequest;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.TagRequest;
import io.vivace.traceql.engine.TraceSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Searches one block (or a range of its record batches, a {@link Shard}) for the engine: the first
 * pass of a TraceQL search. Thread-safe; every call works on its own buffers.
 *
 * <p>{@link #fetch} streams, in trace ID order, every trace that may satisfy the request's
 * predicate and overlaps its time range; it is exact for conjunctions of the conditions {@link
 * SpanConditions} evaluates exactly, a superset otherwise, since the engine evaluates the whole
 * query again on each trace. Work per group of batches (one batch, or the consecutive batches of a
 * trace larger than a batch):
 * <ol>
 *   <li>the index prunes it (time range; duration range, status and kind masks, span and service
 *       name dictionaries, trace ID range), reading nothing;
 *   <li>the message metadata and the dictionary columns of the conditions are fetched: a literal
 *       or regex no dictionary entry satisfies, or a key no entry has, prunes it (these reads are
 *       planned for all batches up front, so that close ones, such as a batch's last dictionary
 *       and the next batch's metadata, share a request: {@link PlannedReads});
 *   <li>where only an array could still match, the key and type children of the attribute list
 *       decide whether its values are needed;
 *   <li>the trace ID and trace time columns and only the fields the remaining conditions read are
 *       fetched and tested row by row (strings by dictionary code);
 *   <li>for batches holding a matching trace the remaining columns are fetched, and those traces'
 *       rows are decoded to OTLP.
 * </ol>
 * {@link FetchStats} gets the bytes fetched from the object store (index included when this call
 * read it), and the traces and spans of the groups the index did not prune.
 */
public final class BlockSearcher implements TraceSource {
    private final BlockReader reader;
    private final int first;
    private final int end; // -1: up to the last batch

    /** A searcher over the whole block {@code reader} reads. */
    public BlockSearcher(BlockReader reader) {
        this(reader, 0, -1);
    }

    private BlockSearcher(BlockReader reader, int first, int end) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.first = first;
        this.end = end;
    }

    /**
     * A part of a block searched as one job: batches {@code [firstBatch, endBatch)}, never splitting
     * the batches of one trace.
     *
     * @param firstBatch first batch
     * @param endBatch batch after the last
     * @param bytes stored bytes of those batches
     * @param startNanos earliest span start in them
     * @param endNanos latest span end in them
     */
    public record Shard(int firstBatch, int endBatch, long bytes, long startNanos, long endNanos) {}

    /** The block's reader. */
    public BlockReader reader() {
        return reader;
    }

    /** Number of record batches of the block. */
    public int batchCount() throws IOException {
        return reader.index().batches().size();
    }

    /** Stored bytes of batch {@code batch} (its whole IPC message). */
    public long batchBytes(int batch) throws IOException {
        return reader.index().batches().get(batch).length();
    }

    /**
     * Splits this searcher's batches into shards of about {@code targetBytes} each (at least one
     * group of batches per shard; a trace larger than a batch is never split).
     */
    public List<Shard> shards(long targetBytes) throws IOException {
        if (targetBytes <= 0) {
            throw new IllegalArgumentException("targetBytes: " + targetBytes + " (expected: > 0)");
        }
        List<BlockIndex.Batch> batches = reader.index().batches();
        int to = endOf(batches);
        List<Shard> out = new ArrayList<>();
        int start = first;
        long bytes = 0;
        long minStart = Long.MAX_VALUE;
        long maxEnd = Long.MIN_VALUE;
        for (int b = first; b < to; ) {
            int g = groupEnd(batches, b, to);
            for (int i = b; i < g; i++) {
                BlockIndex.Batch batch = batches.get(i);
                bytes += batch.length();
                minStart = Math.min(minStart, batch.minStartTimeUnixNano());
                maxEnd = Math.max(maxEnd, batch.maxEndTimeUnixNano());
            }
            b = g;
            if (bytes >= targetBytes || b == to) {
                out.add(new Shard(start, b, bytes, minStart, maxEnd));
                start = b;
                bytes = 0;
                minStart = Long.MAX_VALUE;
                maxEnd = Long.MIN_VALUE;
            }
        }
        return out;
    }

    /** A searcher over one shard of this block (from {@link #shards}). */
    public BlockSearcher shard(Shard shard) {
        Objects.requireNonNull(shard, "shard");
        return new BlockSearcher(reader, shard.firstBatch(), shard.endBatch());
    }

    /** Identifies the immutable data this searcher reads: the block ID, and the batch range of a shard. */
    public String cacheKey() {
        return end < 0 && first == 0 ? reader.meta().blockId().toString() : reader.meta().blockId() + "/" + first + "-" + end;
    }

    @Override
    public void fetch(FetchRequest request, FetchStats stats, TraceSink sink) {
        try {
            BlockIndex idx = reader.index(stats::addBytes);
            fetch(request, stats, sink, first, endOf(idx.batches()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #fetch(FetchRequest, FetchStats, TraceSink)} over batches {@code [firstBatch, endBatch)}
     * of the block. A range that cuts through the batches of one large trace returns that trace's
     * pieces on each side; {@link #shards} never does.
     */
    public void fetch(FetchRequest request, FetchStats stats, TraceSink sink, int firstBatch, int endBatch) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(sink, "sink");
        try {
            BlockIndex idx = reader.index(stats::addBytes);
            if (firstBatch < 0 || endBatch > idx.batches().size() || firstBatch > endBatch) {
                throw new IllegalArgumentException("batches: [" + firstBatch + ", " + endBatch + ") (expected: within [0, "
                        + idx.batches().size() + "))");
            }
            try (BufferAllocator alloc = reader.childAllocator()) {
                new Search(idx, SearchPlan.of(request.predicate()), request, stats, sink, alloc).run(firstBatch, endBatch);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void tagNames(TagRequest request, FetchStats stats, TagNameSink sink) {
        if (request.filter() != null || !coveredBy(request)) {
            TraceSource.super.tagNames(request, stats, sink);
            return;
        }
        try {
            BlockIndex idx = reader.index(stats::addBytes);
            BlockTags.names(reader, idx, first, endOf(idx.batches()), request, stats, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void tagValues(TagRequest request, FetchStats stats, TagValueSink sink) {
        if (request.filter() != null || !BlockTags.supports(request.tag()) || !coveredBy(request)) {
            TraceSource.super.tagValues(request, stats, sink);
            return;
        }
        try {
            BlockIndex idx = reader.index(stats::addBytes);
            BlockTags.values(reader, idx, first, endOf(idx.batches()), request, stats, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the whole block lies inside the request's time range, so that the column path (which
     * filters by time per batch, not per trace) gives exactly the engine's answer.
     */
    private boolean coveredBy(TagRequest request) {
        BlockMeta meta = reader.meta();
        return (request.startNanos() == 0 || meta.startTimeUnixNano() >= request.startNanos())
                && (request.endNanos() == 0 || meta.endTimeUnixNano() <= request.endNanos());
    }

    private int endOf(List<BlockIndex.Batch> batches) {
        if (end > batches.size() || first > (end < 0 ? batches.size() : end)) {
            throw new IllegalStateException("shard [" + first + ", " + end + ") of block " + reader.meta().blockId() + " with "
                    + batches.size() + " batches");
        }
        return end < 0 ? batches.size() : end;
    }

    /** The batch after the group starting at {@code b}: consecutive batches sharing a boundary trace. */
    static int groupEnd(List<BlockIndex.Batch> batches, int b, int to) {
        int g = b + 1;
        while (g < to && batches.get(g).firstTraceId().equals(batches.get(g - 1).lastTraceId())) {
            g++;
        }
        return g;
    }

    @Override
    public String toString() {
        return "BlockSearcher[" + cacheKey() + "]";
    }

    /** A trace's rows in one batch of a group, with what its spans satisfy. */
    private static final class TraceRows {
        final TraceId id;
        final long start;
        final long end;
        final boolean[] leaves;
        final List<int[]> pieces = new ArrayList<>(1); // {index of the batch in the group, first row, end row}
        TraceAssembler assembler;

        TraceRows(TraceId id, long start, long end, int leaves) {
            this.id = id;
            this.start = start;
            this.end = end;
            this.leaves = new boolean[leaves];
        }
    }

    /** One fetch call. */
    private final class Search {
        private final BlockIndex idx;
        private final SearchPlan plan;
        private final FetchRequest request;
        private final FetchStats stats;
        private final TraceSink sink;
        private final BufferAllocator alloc;
        private final PlannedReads planned;

        Search(BlockIndex idx, SearchPlan plan, FetchRequest request, FetchStats stats, TraceSink sink, BufferAllocator alloc) {
            this.idx = idx;
            this.plan = plan;
            this.request = request;
            this.stats = stats;
            this.sink = sink;
            this.alloc = alloc;
            this.planned = new PlannedReads(reader, stats::addBytes);
        }

        void run(int from, int to) throws IOException {
            if (!plan.acceptsAll()) {
                // Plan the first round of every batch the index lets through: its metadata and dictionaries.
                for (int b = from; b < to; ) {
                    int g = groupEnd(idx.batches(), b, to);
                    boolean[][] byIndex = indexPass(b, g);
                    for (int i = 0; byIndex != null && i < g - b; i++) {
                        planned.plan(idx.batches().get(b + i), BatchBytes.plannedColumns(idx, b + i, dictionaries(byIndex[i])));
                    }
                    b = g;
                }
            }
            for (int b = from; b < to; ) {
                if (request.cancelled().getAsBoolean()) {
                    return;
                }
                int g = groupEnd(idx.batches(), b, to);
                if (!group(b, g)) {
                    return;
                }
                b = g;
            }
        }

        /**
         * What the index says of the leaves in each batch of the group {@code [from, to)}: null when
         * it prunes the group.
         */
        private boolean[][] indexPass(int from, int to) {
            List<BlockIndex.Batch> batches = idx.batches().subList(from, to);
            long minStart = Long.MAX_VALUE;
            long maxEnd = Long.MIN_VALUE;
            for (BlockIndex.Batch b : batches) {
                minStart = Math.min(minStart, b.minStartTimeUnixNano());
                maxEnd = Math.max(maxEnd, b.maxEndTimeUnixNano());
            }
            if (!request.overlaps(minStart, maxEnd)) {
                return null;
            }
            int leaves = plan.leaves.size();
            boolean[][] byIndex = new boolean[batches.size()][leaves];
            boolean[] anyBatch = new boolean[leaves];
            for (int i = 0; i < batches.size(); i++) {
                for (int l = 0; l < leaves; l++) {
                    byIndex[i][l] = plan.leafMayMatch(l, batches.get(i));
                    anyBatch[l] |= byIndex[i][l];
                }
            }
            return plan.eval(anyBatch) ? byIndex : null;
        }

        /** The dictionary columns of the leaves the index lets through in a batch. */
        private TreeSet<String> dictionaries(boolean[] byIndex) {
            TreeSet<String> dictionaries = new TreeSet<>();
            for (int l = 0; l < byIndex.length; l++) {
                if (byIndex[l]) {
                    plan.dictionaries(l, dictionaries);
                }
            }
            return dictionaries;
        }

        /** Searches batches {@code [from, to)} (one group); false when the search must stop. */
        private boolean group(int from, int to) throws IOException {
            List<BlockIndex.Batch> batches = idx.batches().subList(from, to);
            boolean[][] byIndex = indexPass(from, to);
            if (byIndex == null) {
                return true;
            }
            int leaves = plan.leaves.size();
            long rows = 0;
            long traces = 1 - batches.size(); // a boundary trace is counted by both of its batches
            for (BlockIndex.Batch b : batches) {
                rows += b.rows();
                traces += b.traces();
            }
            stats.addSpans(rows);
            stats.addTraces(traces);

            List<BatchBytes> fetched = new ArrayList<>(batches.size());
            List<TraceRows> group = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                if (request.cancelled().getAsBoolean()) {
                    return false;
                }
                BatchBytes bytes = new BatchBytes(reader, idx, from + i, stats::addBytes, planned);
                fetched.add(bytes);
                List<TraceRows> rowsOfBatch = evaluate(bytes, i, byIndex[i], batches.size() == 1);
                if (rowsOfBatch == null) {
                    return true; // the dictionaries pruned the batch
                }
                for (TraceRows t : rowsOfBatch) {
                    TraceRows last = group.isEmpty() ? null : group.get(group.size() - 1);
                    if (last != null && last.id.equals(t.id)) {
                        for (int l = 0; l < leaves; l++) {
                            last.leaves[l] |= t.leaves[l];
                        }
                        last.pieces.addAll(t.pieces);
                    } else {
                        group.add(t);
                    }
                }
            }
            List<TraceRows> candidates = new ArrayList<>();
            for (TraceRows t : group) {
                if (request.overlaps(t.start, t.end) && plan.eval(t.leaves)) {
                    candidates.add(t);
                }
            }
            return emit(fetched, candidates);
        }

        /**
         * Evaluates one batch of a group: which leaves each of its traces satisfies. Null when the
         * batch alone is its group and its dictionaries show that no trace can match.
         */
        private List<TraceRows> evaluate(BatchBytes bytes, int inGroup, boolean[] byIndex, boolean alone) throws IOException {
            int leaves = plan.leaves.size();
            try (SearchBatch batch = new SearchBatch(bytes, alloc)) {
                ColumnSelection fields = new ColumnSelection().whole(SpanColumns.TRACE_ID, SpanColumns.TRACE_START_UNIX_NANO,
                        SpanColumns.TRACE_END_UNIX_NANO);
                SpanConditions.Bound[] leafBound = new SpanConditions.Bound[leaves];
                SpanConditions.Bound[] conditionBound = new SpanConditions.Bound[plan.conditions.size()];
                if (plan.acceptsAll()) {
                    bytes.fetchAll(); // every trace in range is wanted: one read of the whole batch
                } else {
                    batch.loadDictionaries(dictionaries(byIndex));
                    boolean[] may = new boolean[leaves];
                    bindLeaves(batch, byIndex, conditionBound, leafBound, may);
                    if (alone && !plan.eval(may)) {
                        return null;
                    }
                    // Pending conditions of leaves that may hold: load their probe fields, then decide.
                    ColumnSelection probe = new ColumnSelection();
                    boolean[] probed = new boolean[conditionBound.length];
                    for (int l = 0; l < leaves; l++) {
                        for (int c : plan.leaves.get(l)) {
                            if (may[l] && conditionBound[c].isPending() && !probed[c]) {
                                probe.addAll(conditionBound[c].probe);
                                probed[c] = true;
                            }
                        }
                    }
                    if (!probe.isEmpty()) {
                        batch.loadProbe(probe);
                        for (int c = 0; c < conditionBound.length; c++) {
                            if (probed[c]) {
                                conditionBound[c] = conditionBound[c].refine(batch);
                            }
                        }
                        bindLeaves(batch, byIndex, conditionBound, leafBound, may);
                        if (alone && !plan.eval(may)) {
                            return null;
                        }
                    }
                    for (int l = 0; l < leaves; l++) {
                        if (!leafBound[l].isConstant()) {
                            fields.addAll(leafBound[l].fields);
                        }
                    }
                }
                batch.loadData(fields);
                int rows = batch.rows();
                int words = (rows + 63) >>> 6;
                long[][] conditionBits = new long[plan.conditions.size()][];
                long[][] leafBits = new long[leaves][];
                for (int l = 0; l < leaves; l++) {
                    if (leafBound[l] != null && !leafBound[l].isConstant()) {
                        long[] bits = null;
                        for (int c : plan.leaves.get(l)) {
                            if (conditionBound[c].isConstant()) {
                                continue; // TRUE (a FALSE condition makes the leaf FALSE)
                            }
                            if (conditionBits[c] == null) {
                                conditionBits[c] = new long[words];
                                conditionBound[c].test.evaluate(batch, conditionBits[c]);
                            }
                            if (bits == null) {
                                bits = conditionBits[c].clone();
                            } else {
                                for (int w = 0; w < words; w++) {
                                    bits[w] &= conditionBits[c][w];
                                }
                            }
                        }
                        leafBits[l] = bits;
                    }
                }
                return traces(batch, inGroup, leafBound, leafBits);
            }
        }

        /** Binds the conditions of every leaf the index let through (once each) and combines them per leaf. */
        private void bindLeaves(SearchBatch batch, boolean[] byIndex, SpanConditions.Bound[] conditionBound,
                SpanConditions.Bound[] leafBound, boolean[] may) throws IOException {
            for (int l = 0; l < leafBound.length; l++) {
                leafBound[l] = byIndex[l] ? bindLeaf(l, batch, conditionBound) : SpanConditions.Bound.FALSE;
                may[l] = !leafBound[l].isFalse();
            }
        }

        private SpanConditions.Bound bindLeaf(int leaf, SearchBatch batch, SpanConditions.Bound[] conditionBound) throws IOException {
            List<SpanConditions.Bound> parts = new ArrayList<>();
            for (int c : plan.leaves.get(leaf)) {
                if (conditionBound[c] == null) {
                    conditionBound[c] = plan.conditions.get(c).bind(batch);
                }
                parts.add(conditionBound[c]);
            }
            return SpanConditions.Bound.every(parts);
        }

        /** Splits the batch's rows into traces and notes which leaves each satisfies. */
        private List<TraceRows> traces(SearchBatch batch, int inGroup, SpanConditions.Bound[] leafBound, long[][] leafBits) {
            FixedSizeBinaryVector ids = batch.vector(SpanColumns.TRACE_ID);
            BigIntVector starts = batch.vector(SpanColumns.TRACE_START_UNIX_NANO);
            BigIntVector ends = batch.vector(SpanColumns.TRACE_END_UNIX_NANO);
            ArrowBuf data = ids.getDataBuffer();
            int rows = batch.rows();
            List<TraceRows> out = new ArrayList<>();
            int from = 0;
            while (from < rows) {
                long hi = data.getLong((long) from * 16);
                long lo = data.getLong((long) from * 16 + 8);
                int to = from + 1;
                while (to < rows && data.getLong((long) to * 16) == hi && data.getLong((long) to * 16 + 8) == lo) {
                    to++;
                }
                TraceRows t = new TraceRows(new TraceId(Long.reverseBytes(hi), Long.reverseBytes(lo)), starts.get(from), ends.get(from),
                        leafBound.length);
                for (int l = 0; l < leafBound.length; l++) {
                    SpanConditions.Bound b = leafBound[l];
                    t.leaves[l] = b == null || b == SpanConditions.Bound.TRUE || (!b.isConstant() && anyBit(leafBits[l], from, to));
                }
                t.pieces.add(new int[] {inGroup, from, to});
                out.add(t);
                from = to;
            }
            return out;
        }

        /** Decodes the candidates batch by batch and hands them to the sink in order; false when the sink stopped. */
        private boolean emit(List<BatchBytes> batches, List<TraceRows> candidates) throws IOException {
            int next = 0; // first candidate not yet emitted
            for (int i = 0; i < batches.size() && next < candidates.size(); i++) {
                if (request.cancelled().getAsBoolean()) {
                    return false;
                }
                boolean needed = false;
                for (int c = next; c < candidates.size() && !needed; c++) {
                    for (int[] p : candidates.get(c).pieces) {
                        needed |= p[0] == i;
                    }
                }
                if (needed) {
                    try (VectorSchemaRoot root = batches.get(i).loadAll(alloc)) {
                        SpanBatchDecoder decoder = new SpanBatchDecoder(root);
                        for (int c = next; c < candidates.size(); c++) {
                            TraceRows t = candidates.get(c);
                            for (int[] p : t.pieces) {
                                if (p[0] == i) {
                                    if (t.assembler == null) {
                                        t.assembler = new TraceAssembler(t.id);
                                    }
                                    for (int r = p[1]; r < p[2]; r++) {
                                        decoder.decode(r, t.assembler);
                                    }
                                }
                            }
                        }
                    }
                }
                // Candidates whose last piece is in this batch are complete.
                while (next < candidates.size() && candidates.get(next).pieces.get(candidates.get(next).pieces.size() - 1)[0] <= i) {
                    TraceRows t = candidates.get(next++);
                    if (!sink.accept(EvalTrace.ofDistinct(t.id, t.assembler.build().resourceSpans()))) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private static boolean anyBit(long[] bits, int from, int to) {
        if (bits == null) {
            return false;
        }
        for (int r = from; r < to; ) {
            int w = r >>> 6;
            long word = bits[w] >>> (r & 63);
            int span = Math.min(64 - (r & 63), to - r);
            if (span < 64) {
                word &= (1L << span) - 1;
            }
            if (word != 0) {
                return true;
            }
            r += span;
        }
        return false;
    }
}
