package io.vivace.compactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.TraceId;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockStore;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TenantIndex;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.InMemoryObjectStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CompactorTest {
    private static final String TENANT = "single-tenant";
    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final long NOW_NANOS = NOW_MILLIS * 1_000_000L;

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final BlockStore blocks = new BlockStore(store);
    private final BlockWriterConfig writer = new BlockWriterConfig(64, 0.01, 100 * 1024);
    private final MutableClock clock = new MutableClock(NOW_MILLIS);

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private Compactor compactor(CompactorConfig.Compaction c) {
        return compactor(c, OverridesConfig.defaultConfig());
    }

    private Compactor compactor(CompactorConfig.Compaction c, OverridesConfig overrides) {
        return new Compactor(new CompactorConfig(c), overrides, blocks, writer, JobOwnership.ALL, clock, new SimpleMeterRegistry());
    }

    private static CompactorConfig.Compaction config(Duration retention) {
        CompactorConfig.Compaction d = CompactorConfig.Compaction.defaults();
        return new CompactorConfig.Compaction(d.compactionWindow(), d.maxCompactionObjects(), d.maxBlockBytes(), 2, 4, retention,
                Duration.ofMinutes(10), d.compactionCycle());
    }

    private static TraceId traceId(int t) {
        return new TraceId(0x1000L + t, 0x2000L + t);
    }

    private static ResourceSpans piece(int trace, long startNanos, long... spanIds) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        for (long s : spanIds) {
            ss.addSpans(Span.newBuilder().setTraceId(traceId(trace).toByteString())
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(s).array()))
                    .setName("op-" + s).setStartTimeUnixNano(startNanos + s).setEndTimeUnixNano(startNanos + s + 1_000_000));
        }
        return ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("svc")))).addScopeSpans(ss).build();
    }

    /** Writes a level-0 block holding, per trace number, the given span IDs. */
    private BlockMeta block(long startNanos, Map<Integer, long[]> traces) throws Exception {
        Map<TraceId, TraceEntry> sorted = new TreeMap<>();
        traces.forEach((t, spans) -> sorted.put(traceId(t), new TraceEntry(traceId(t), List.of(piece(t, startNanos, spans)))));
        return new BlockWriter(store, writer).write(TENANT, UUID.randomUUID(), 0, sorted.values().iterator());
    }

    /** Trace → span IDs over every visible block, each span once per block it is in. */
    private Map<TraceId, List<Long>> contents() throws Exception {
        Map<TraceId, List<Long>> out = new TreeMap<>();
        for (BlockMeta m : blocks.blocks(TENANT)) {
            for (Iterator<TraceEntry> it = blocks.reader(m).traces(); it.hasNext(); ) {
                TraceEntry e = it.next();
                List<Long> ids = out.computeIfAbsent(e.id(), k -> new ArrayList<>());
                for (ResourceSpans rs : e.resourceSpans()) {
                    rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(
                            s -> ids.add(ByteBuffer.wrap(s.getSpanId().toByteArray()).getLong())));
                }
            }
        }
        out.values().forEach(l -> l.sort(Long::compare));
        return out;
    }

    @Test
    void mergesSplitTracesDropsDuplicatesAndSwapsBlocksAtomically() throws Exception {
        long start = NOW_NANOS - Duration.ofMinutes(5).toNanos();
        block(start, Map.of(1, new long[] {1, 2}, 2, new long[] {1}));
        block(start, Map.of(1, new long[] {2, 3}, 3, new long[] {7}));          // span 2 of trace 1 again
        block(start, Map.of(2, new long[] {1, 2}, 4, new long[] {9, 10}));     // span 1 of trace 2 again
        assertThat(blocks.blocks(TENANT)).hasSize(3);

        compactor(config(Duration.ZERO)).runCycle();

        List<BlockMeta> after = blocks.blocks(TENANT);
        assertThat(after).hasSize(1);
        assertThat(after.get(0).compactionLevel()).isEqualTo(1);
        assertThat(after.get(0).totalTraces()).isEqualTo(4);
        assertThat(after.get(0).totalSpans()).isEqualTo(8);
        Map<TraceId, List<Long>> c = contents();
        assertThat(c.get(traceId(1))).containsExactly(1L, 2L, 3L);
        assertThat(c.get(traceId(2))).containsExactly(1L, 2L);
        assertThat(c.get(traceId(3))).containsExactly(7L);
        assertThat(c.get(traceId(4))).containsExactly(9L, 10L);

        // The inputs stay in the bucket, hidden, until the grace period has passed.
        BlockStore.Listing listing = blocks.listing(TENANT);
        assertThat(listing.compacted()).hasSize(3);
        compactor(config(Duration.ZERO)).runCycle();
        assertThat(blocks.listing(TENANT).compacted()).hasSize(3);
        clock.millis += Duration.ofMinutes(11).toMillis();
        compactor(config(Duration.ZERO)).runCycle();
        assertThat(blocks.listing(TENANT).compacted()).isEmpty();
        TreeSet<String> left = new TreeSet<>();
        for (String key : store.list(TENANT + "/")) {
            if (!key.endsWith("/" + TenantIndex.NAME)) {
                left.add(key.split("/")[1]);
            }
        }
        assertThat(left).containsExactly(after.get(0).blockId().toString());
    }

    @Test
    void aCompactorStoppedAfterWritingItsOutputLeavesNoDuplicates() throws Exception {
        long start = NOW_NANOS - Duration.ofMinutes(5).toNanos();
        BlockMeta a = block(start, Map.of(1, new long[] {1, 2}));
        BlockMeta b = block(start, Map.of(1, new long[] {2, 3}));
        // What a compactor does before it marks its inputs: replaces.json, then the block, meta last.
        UUID out = UUID.randomUUID();
        blocks.writeReplaces(TENANT, out, List.of(a.blockId(), b.blockId()));
        Iterator<TraceEntry> merged = new MergingIterator(List.of(blocks.reader(a).traces(), blocks.reader(b).traces()));
        new BlockWriter(store, writer).write(TENANT, out, 1, merged);

        // Readers already see only the output.
        assertThat(blocks.blocks(TENANT)).extracting(BlockMeta::blockId).containsExactly(out);
        assertThat(contents().get(traceId(1))).containsExactly(1L, 2L, 3L);
        assertThat(blocks.listing(TENANT).replaced()).containsExactlyInAnyOrder(a.blockId(), b.blockId());

        // The next cycle finishes the job: the inputs get their marker.
        compactor(config(Duration.ZERO)).runCycle();
        assertThat(blocks.listing(TENANT).replaced()).isEmpty();
        assertThat(blocks.listing(TENANT).compacted().keySet()).containsExactlyInAnyOrder(a.blockId(), b.blockId());
    }

    @Test
    void anOutputWithoutMetaIsInvisibleAndTheInputsKeepServing() throws Exception {
        long start = NOW_NANOS - Duration.ofMinutes(5).toNanos();
        BlockMeta a = block(start, Map.of(1, new long[] {1}));
        BlockMeta b = block(start, Map.of(2, new long[] {2}));
        UUID out = UUID.randomUUID();
        blocks.writeReplaces(TENANT, out, List.of(a.blockId(), b.blockId()));
        store.write(TENANT + "/" + out + "/data", new byte[] {1, 2, 3}); // crashed mid-upload

        assertThat(blocks.blocks(TENANT)).extracting(BlockMeta::blockId).containsExactlyInAnyOrder(a.blockId(), b.blockId());
        compactor(config(Duration.ZERO)).runCycle();
        assertThat(contents()).containsOnlyKeys(traceId(1), traceId(2));
        assertThat(blocks.blocks(TENANT)).hasSize(1);
    }

    @Test
    void retentionHidesThenDeletesOldBlocks() throws Exception {
        block(NOW_NANOS - Duration.ofHours(400).toNanos(), Map.of(1, new long[] {1}));
        BlockMeta recent = block(NOW_NANOS - Duration.ofHours(1).toNanos(), Map.of(2, new long[] {2}));

        compactor(config(Duration.ofHours(336))).runCycle();
        assertThat(blocks.blocks(TENANT)).extracting(BlockMeta::blockId).containsExactly(recent.blockId());
        clock.millis += Duration.ofMinutes(11).toMillis();
        compactor(config(Duration.ofHours(336))).runCycle();
        assertThat(blocks.listing(TENANT).compacted()).isEmpty();
        assertThat(store.list(TENANT + "/")).allMatch(k -> k.contains(recent.blockId().toString()) || k.endsWith(TenantIndex.NAME));
        // The tenant index the compactor wrote lists what readers should see.
        TenantIndex.Snapshot index = TenantIndex.read(store, TENANT).orElseThrow();
        assertThat(index.blocks()).extracting(BlockMeta::blockId).containsExactly(recent.blockId());
        assertThat(index.createdAtUnixMillis()).isEqualTo(clock.millis);
    }

    @Test
    void aTenantOverrideShortensItsRetention() throws Exception {
        Limits d = Limits.defaults();
        OverridesConfig overrides = new OverridesConfig(d, Map.of(TENANT,
                new Limits(d.ingestion(), d.global(), new Limits.Compaction(Duration.ofHours(2)))));
        block(NOW_NANOS - Duration.ofHours(3).toNanos(), Map.of(1, new long[] {1}));
        Compactor c = compactor(config(Duration.ofHours(336)), overrides);
        assertThat(c.retention(TENANT)).isEqualTo(Duration.ofHours(2));
        assertThat(c.retention("other")).isEqualTo(Duration.ofHours(336));
        c.runCycle();
        assertThat(blocks.blocks(TENANT)).isEmpty();
    }

    @Test
    void onlyBlocksOfOneWindowAreMergedTogetherWhateverTheirLevel() throws Exception {
        long windowA = NOW_NANOS - Duration.ofHours(5).toNanos();
        long windowB = NOW_NANOS - Duration.ofHours(2).toNanos();
        block(windowA, Map.of(1, new long[] {1}));
        block(windowB, Map.of(2, new long[] {2}));
        Compactor c = compactor(config(Duration.ZERO));
        assertThat(c.plan(TENANT, blocks.blocks(TENANT))).isEmpty();
        block(windowB, Map.of(3, new long[] {3}));
        List<List<BlockMeta>> jobs = c.plan(TENANT, blocks.blocks(TENANT));
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0)).hasSize(2);

        // A late piece of a compacted window joins the level-1 block at the next cycle.
        c.runCycle();
        block(windowB, Map.of(2, new long[] {4}));
        c.runCycle();
        List<BlockMeta> windowBBlocks = blocks.blocks(TENANT).stream().filter(m -> m.compactionLevel() > 0).toList();
        assertThat(windowBBlocks).hasSize(1);
        assertThat(windowBBlocks.get(0).compactionLevel()).isEqualTo(2);
        assertThat(contents().get(traceId(2))).containsExactly(2L, 4L);
        assertThat(blocks.blocks(TENANT)).hasSize(2);
    }

    @Test
    void aCorruptInputIsLeftOutAndTheOthersAreStillMerged() throws Exception {
        long start = NOW_NANOS - Duration.ofMinutes(5).toNanos();
        BlockMeta good1 = block(start, Map.of(1, new long[] {1}));
        BlockMeta bad = block(start, Map.of(2, new long[] {2}));
        BlockMeta good2 = block(start, Map.of(3, new long[] {3}));
        byte[] data = store.read(TENANT + "/" + bad.blockId() + "/data");
        store.write(TENANT + "/" + bad.blockId() + "/data", java.util.Arrays.copyOf(data, data.length / 3)); // truncated

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Compactor c = new Compactor(new CompactorConfig(config(Duration.ZERO)), OverridesConfig.defaultConfig(), blocks, writer,
                JobOwnership.ALL, clock, registry);
        c.runCycle(); // the job with all three fails; the truncated block is found and left out
        assertThat(registry.get("vivace_compactor_failures_total").counter().count()).isEqualTo(1);
        assertThat(registry.get("vivace_compactor_quarantined_blocks").gauge().value()).isEqualTo(1);
        c.runCycle(); // the two readable blocks merge
        List<BlockMeta> after = blocks.blocks(TENANT);
        assertThat(after).extracting(BlockMeta::blockId).contains(bad.blockId()).doesNotContain(good1.blockId(), good2.blockId());
        assertThat(after).hasSize(2);
        assertThat(registry.get("vivace_compactor_failures_total").counter().count()).isEqualTo(1);
    }
}
