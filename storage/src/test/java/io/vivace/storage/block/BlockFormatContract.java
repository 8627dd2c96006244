package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import io.vivace.storage.object.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every block format version must do: lossless round trips through {@code findTrace} and
 * {@code traces()}, exact absence answers, reads limited to the batch that holds a trace, and no
 * Arrow memory left behind. Each version's test extends it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BlockFormatContract {
    static final String TENANT = "single-tenant";

    /** The format version under test, as in {@code meta.json}. */
    protected abstract String format();

    private List<TraceEntry> dataset;
    private BufferAllocator allocator;
    private InMemoryObjectStore store;

    @BeforeAll
    void generate() {
        dataset = new TestTraces(42).traces(400);
    }

    @BeforeEach
    void open() {
        allocator = new RootAllocator(Long.MAX_VALUE);
        store = new InMemoryObjectStore();
    }

    @AfterEach
    void noLeaks() {
        assertThat(allocator.getAllocatedMemory()).as("Arrow memory left allocated").isZero();
        allocator.close(); // throws when a child allocator or buffer was not released
    }

    private BlockMeta write(List<TraceEntry> traces, BlockWriterConfig config) throws Exception {
        return new BlockWriter(store, config, allocator).write(TENANT, UUID.randomUUID(), 0, traces.iterator());
    }

    private static BlockWriterConfig config(int rowsPerBatch) {
        return new BlockWriterConfig(rowsPerBatch, 0.01, 100 * 1024);
    }

    private static int spans(TraceEntry t) {
        int n = 0;
        for (ResourceSpans rs : t.resourceSpans()) {
            n += rs.getScopeSpansList().stream().mapToInt(s -> s.getSpansCount()).sum();
        }
        return n;
    }

    @Test
    void metaDescribesTheBlock() throws Exception {
        BlockMeta meta = write(dataset, config(256));
        assertThat(meta.format()).isEqualTo(format());
        assertThat(meta.tenant()).isEqualTo(TENANT);
        assertThat(meta.totalTraces()).isEqualTo(dataset.size());
        assertThat(meta.totalSpans()).isEqualTo(dataset.stream().mapToLong(BlockFormatContract::spans).sum());
        assertThat(meta.minTraceId()).isEqualTo(dataset.get(0).id().toHex());
        assertThat(meta.maxTraceId()).isEqualTo(dataset.get(dataset.size() - 1).id().toHex());
        assertThat(meta.totalRecordBatches()).isGreaterThan(10);
        assertThat(meta.startTimeUnixNano()).isLessThan(meta.endTimeUnixNano());
        String prefix = TENANT + "/" + meta.blockId() + "/";
        List<String> expected = new ArrayList<>(List.of(prefix + "data", prefix + "index", prefix + "meta.json"));
        for (int i = 0; i < meta.bloomShards(); i++) {
            expected.add(prefix + "bloom-" + i);
        }
        assertThat(store.list(prefix)).containsExactlyInAnyOrderElementsOf(expected);
        long objects = 0;
        for (String k : expected) {
            if (!k.endsWith("meta.json")) {
                objects += store.size(k);
            }
        }
        assertThat(meta.size()).isEqualTo(objects);
        assertThat(BlockMetaJson.fromJson(store.read(prefix + "meta.json"))).isEqualTo(meta);
    }

    @Test
    void everyTraceRoundTripsThroughFindTrace() throws Exception {
        BlockMeta meta = write(dataset, config(256));
        try (BlockReader reader = BlockReader.open(store, meta, allocator)) {
            for (TraceEntry expected : dataset) {
                Optional<TraceEntry> found = reader.findTrace(expected.id());
                assertThat(found).as("trace %s", expected.id()).isPresent();
                assertThat(found.get().id()).isEqualTo(expected.id());
                assertThat(TestTraces.canonical(found.get().resourceSpans()))
                        .as("trace %s", expected.id())
                        .containsExactlyElementsOf(TestTraces.canonical(expected.resourceSpans()));
            }
        }
    }

    @Test
    void spansAreRegroupedByEqualResourceAndScope() throws Exception {
        BlockMeta meta = write(dataset, config(256));
        try (BlockReader reader = BlockReader.open(store, meta, allocator)) {
            for (TraceEntry expected : dataset.subList(0, 50)) {
                TraceEntry found = reader.findTrace(expected.id()).orElseThrow();
                long distinctResources = expected.resourceSpans().stream()
                        .map(rs -> rs.toBuilder().clearScopeSpans().build()).distinct().count();
                assertThat(found.resourceSpans()).hasSize((int) distinctResources);
                for (ResourceSpans rs : found.resourceSpans()) {
                    assertThat(rs.getScopeSpansList()).allSatisfy(ss -> assertThat(ss.getSpansCount()).isPositive());
                    assertThat(rs.getScopeSpansList().stream().map(ss -> ss.toBuilder().clearSpans().build()).distinct().count())
                            .isEqualTo(rs.getScopeSpansCount());
                }
            }
        }
    }

    @Test
    void tracesIteratesEverythingInOrder() throws Exception {
        BlockMeta meta = write(dataset, config(256));
        try (BlockReader reader = BlockReader.open(store, meta, allocator)) {
            Iterator<TraceEntry> it = reader.traces();
            for (TraceEntry expected : dataset) {
                assertThat(it.hasNext()).isTrue();
                TraceEntry actual = it.next();
                assertThat(actual.id()).isEqualTo(expected.id());
                assertThat(TestTraces.canonical(actual.resourceSpans())).containsExactlyElementsOf(TestTraces.canonical(expected.resourceSpans()));
            }
            assertThat(it.hasNext()).isFalse();
            assertThat(reader.bytesRead()).isGreaterThanOrEqualTo(store.size(TENANT + "/" + meta.blockId() + "/data") - 1024);
        }
    }

    @Test
    void absentTracesAreNotFound() throws Exception {
        BlockMeta meta = write(dataset, config(256));
        Random random = new Random(7);
        try (BlockReader reader = BlockReader.open(store, meta, allocator)) {
            List<TraceId> absent = new ArrayList<>(List.of(new TraceId(0, 1), new TraceId(-1L, -1L)));
            for (int i = 0; i < dataset.size() - 1; i++) {
                TraceId a = dataset.get(i).id();
                absent.add(new TraceId(a.high(), a.low() + 1)); // right next to a stored ID: passes the index check
            }
            for (int i = 0; i < 500; i++) {
                absent.add(new TraceId(random.nextLong(), random.nextLong()));
            }
            int bloomPassed = 0;
            for (TraceId id : absent) {
                if (dataset.stream().anyMatch(t -> t.id().equals(id))) {
                    continue;
                }
                if (reader.mayContain(id)) {
                    bloomPassed++;
                }
                assertThat(reader.findTrace(id)).as("absent %s", id).isEmpty();
            }
            assertThat(bloomPassed).as("bloom false positives").isLessThan(absent.size() / 20);
        }
    }

    @Test
    void findTraceReadsOnlyTheBatchThatHoldsIt() throws Exception {
        BlockMeta meta = write(dataset, config(128));
        long dataSize = store.size(TENANT + "/" + meta.blockId() + "/data");
        TraceEntry target = dataset.get(dataset.size() / 2);
        try (BlockReader reader = BlockReader.open(store, meta, allocator)) {
            assertThat(reader.bytesRead()).as("opening reads nothing").isZero();
            long served = store.bytesServed();
            assertThat(reader.findTrace(target.id())).isPresent();
            BlockIndex index = reader.index();
            int[] range = index.batchesFor(target.id());
            assertThat(range[1] - range[0]).isEqualTo(1);
            long batchBytes = index.batches().get(range[0]).length();
            long indexBytes = store.size(TENANT + "/" + meta.blockId() + "/index");
            long bloomBytes = store.size(TENANT + "/" + meta.blockId() + "/bloom-" + BloomFilter.shardOf(target.id(), meta.bloomShards()));
            assertThat(reader.bytesRead()).isEqualTo(batchBytes + indexBytes + bloomBytes);
            assertThat(store.bytesServed() - served).as("bytesRead is honest").isEqualTo(reader.bytesRead());
            assertThat(batchBytes).isLessThan(dataSize / 10);
            // A second lookup reuses the index and the shard (when it is the same).
            long before = reader.bytesRead();
            reader.findTrace(target.id());
            assertThat(reader.bytesRead() - before).isEqualTo(batchBytes);
        }
    }

    @Test
    void tracesNeverStraddleBatchesUnlessLargerThanABatch() throws Exception {
        List<TraceEntry> traces = new ArrayList<>(dataset.subList(0, 60));
        // Replace one trace by one larger than a batch.
        TraceId bigId = traces.get(30).id();
        traces.set(30, new TestTraces(3).trace(bigId, 300));
        BlockMeta meta = write(traces, config(64));
        try (BlockReader reader = BlockReader.open(store, meta, allocator)) {
            BlockIndex index = reader.index();
            for (int i = 0; i + 1 < index.batches().size(); i++) {
                BlockIndex.Batch a = index.batches().get(i);
                BlockIndex.Batch b = index.batches().get(i + 1);
                assertThat(a.rows()).isLessThanOrEqualTo(64);
                if (a.lastTraceId().equals(b.firstTraceId())) {
                    assertThat(a.lastTraceId()).isEqualTo(bigId);
                } else {
                    assertThat(a.lastTraceId()).isLessThan(b.firstTraceId());
                }
            }
            int[] range = index.batchesFor(bigId);
            assertThat(range[1] - range[0]).isGreaterThanOrEqualTo(5);
            TraceEntry big = reader.findTrace(bigId).orElseThrow();
            assertThat(TestTraces.canonical(big.resourceSpans())).containsExactlyElementsOf(TestTraces.canonical(traces.get(30).resourceSpans()));
            List<TraceEntry> all = new ArrayList<>();
            reader.traces().forEachRemaining(all::add);
            assertThat(all).extracting(TraceEntry::id).containsExactlyElementsOf(traces.stream().map(TraceEntry::id).toList());
            assertThat(TestTraces.canonical(all.get(30).resourceSpans())).hasSize(spans(traces.get(30)));
        }
    }

    @Test
    void bloomShardsStayWithinTheConfiguredSize() throws Exception {
        List<TraceEntry> many = new ArrayList<>();
        Random random = new Random(11);
        java.util.TreeSet<TraceId> ids = new java.util.TreeSet<>();
        while (ids.size() < 5000) {
            ids.add(new TraceId(random.nextLong(), random.nextLong()));
        }
        TestTraces gen = new TestTraces(12);
        for (TraceId id : ids) {
            many.add(gen.trace(id, 1));
        }
        BlockMeta meta = write(many, new BlockWriterConfig(8192, 0.01, 1024));
        assertThat(meta.bloomShards()).isGreaterThan(4);
        for (int i = 0; i < meta.bloomShards(); i++) {
            assertThat(store.size(TENANT + "/" + meta.blockId() + "/bloom-" + i)).isLessThanOrEqualTo((long) (1024 * 1.3));
        }
        try (BlockReader reader = BlockReader.open(store, meta, allocator)) {
            for (TraceId id : ids) {
                assertThat(reader.mayContain(id)).isTrue();
            }
        }
    }

    @Test
    void writerRejectsUnsortedTracesAndBadIds() {
        List<TraceEntry> reversed = new ArrayList<>(dataset.subList(0, 3));
        java.util.Collections.reverse(reversed);
        assertThatThrownBy(() -> write(reversed, config(256))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
        TraceEntry t = dataset.get(0);
        ResourceSpans rs = t.resourceSpans().get(0);
        ResourceSpans bad = rs.toBuilder().setScopeSpans(0, rs.getScopeSpans(0).toBuilder()
                .setSpans(0, rs.getScopeSpans(0).getSpans(0).toBuilder().setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[5])))).build();
        assertThatThrownBy(() -> write(List.of(new TraceEntry(t.id(), List.of(bad))), config(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("span_id: 5 bytes");
        assertThatThrownBy(() -> write(List.of(), config(256))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedReaderRefusesWork() throws Exception {
        BlockMeta meta = write(dataset.subList(0, 5), config(256));
        BlockReader reader = BlockReader.open(store, meta, allocator);
        reader.close();
        assertThatThrownBy(() -> reader.findTrace(dataset.get(0).id())).isInstanceOf(IllegalStateException.class);
    }
}
