package io.vivace.querier;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.query.TraceLookup;
import io.vivace.common.query.TraceResult;
import io.vivace.model.TraceId;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockStore;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.InMemoryObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QuerierTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    private static TraceEntry trace(TraceId id, long startNanos, long... spanIds) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        for (long s : spanIds) {
            ss.addSpans(Span.newBuilder().setTraceId(id.toByteString())
                    .setSpanId(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(s).array()))
                    .setName("op").setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + 1_000_000));
        }
        return new TraceEntry(id, List.of(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("svc"))))
                .addScopeSpans(ss).build()));
    }

    @Test
    void findsTracesInBlocksAndIngestersWithinTheTimeRange() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        BlockWriter writer = new BlockWriter(store, BlockWriterConfig.defaults());
        TraceId a = TraceId.parseHex("0a");
        TraceId b = TraceId.parseHex("0b");
        writer.write("t1", UUID.randomUUID(), 0, List.of(trace(a, T0, 1, 2), trace(b, T0, 3)).iterator());
        TraceId late = TraceId.parseHex("0c");
        writer.write("t1", UUID.randomUUID(), 0, List.of(trace(late, T0 + 3_600_000_000_000L, 4)).iterator());

        BlockStore blocks = new BlockStore(store);
        BlockList list = new BlockList(blocks, Duration.ofMinutes(1), new SimpleMeterRegistry());
        list.start();
        try {
            assertThat(list.blocks("t1")).hasSize(2);
            assertThat(list.blocks("t2")).isEmpty();
            TraceEntry recent = trace(a, T0, 5);
            TraceLookup ingester = (tenant, id, s, e) -> id.equals(a) && tenant.equals("t1")
                    ? new TraceResult(recent.resourceSpans(), 10, 0) : TraceResult.empty();
            Querier q = new Querier(blocks, list, List.of(ingester), List.of(), new SimpleMeterRegistry());

            TraceResult r = q.find("t1", a, 0, 0);
            assertThat(spanCount(r)).as("2 spans from the block + 1 from the ingester").isEqualTo(3);
            assertThat(r.inspectedBytes()).isGreaterThan(10);
            assertThat(r.blocksSearched()).isGreaterThanOrEqualTo(1);

            assertThat(spanCount(q.find("t1", a, 0, 0, Querier.Mode.BLOCKS))).isEqualTo(2);
            assertThat(spanCount(q.find("t1", a, 0, 0, Querier.Mode.INGESTERS))).isEqualTo(1);
            assertThat(q.find("t2", a, 0, 0, Querier.Mode.BLOCKS).resourceSpans()).isEmpty();
            assertThat(q.find("t1", TraceId.parseHex("0d"), 0, 0).resourceSpans()).isEmpty();

            long lateSeconds = (T0 + 3_600_000_000_000L) / 1_000_000_000L;
            assertThat(spanCount(q.find("t1", late, lateSeconds - 10, lateSeconds + 10))).isEqualTo(1);
            assertThat(q.find("t1", late, T0 / 1_000_000_000L - 10, T0 / 1_000_000_000L + 10).resourceSpans())
                    .as("block outside the range is not read").isEmpty();
        } finally {
            list.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void aCorruptBlockIsSkippedAndCounted() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        BlockWriter writer = new BlockWriter(store, BlockWriterConfig.defaults());
        TraceId a = TraceId.parseHex("0a");
        BlockMeta good = writer.write("t1", UUID.randomUUID(), 0, List.of(trace(a, T0, 1)).iterator());
        BlockMeta bad = writer.write("t1", UUID.randomUUID(), 0, List.of(trace(a, T0, 2)).iterator());
        for (String key : store.list("t1/" + bad.blockId() + "/")) {
            if (!key.endsWith("meta.json")) {
                store.write(key, new byte[] {1, 2, 3});
            }
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BlockStore blocks = new BlockStore(store);
        BlockList list = new BlockList(blocks, Duration.ofMinutes(1), registry);
        list.poll();
        Querier q = new Querier(blocks, list, List.of(), List.of(), registry);
        TraceResult r = q.find("t1", a, 0, 0);
        assertThat(spanCount(r)).isEqualTo(1);
        assertThat(registry.get("vivace_querier_block_read_failures_total").counter().count()).isEqualTo(1.0);
        assertThat(good.blockId()).isNotEqualTo(bad.blockId());
    }

    @Test
    void aBlockHandedOverIsVisibleAtOnceAndSurvivesAPollThatMissedIt() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        BlockStore blocks = new BlockStore(store);
        BlockList list = new BlockList(blocks, Duration.ofMinutes(1), new SimpleMeterRegistry());
        list.poll();
        TraceId a = TraceId.parseHex("0a");
        BlockMeta meta = new BlockWriter(store, BlockWriterConfig.defaults()).write("t1", UUID.randomUUID(), 0,
                List.of(trace(a, T0, 1)).iterator());
        list.add(meta);
        assertThat(list.blocks("t1")).extracting(BlockMeta::blockId).containsExactly(meta.blockId());
        list.add(meta);
        assertThat(list.blocks("t1")).as("adding twice keeps one").hasSize(1);
        Querier q = new Querier(blocks, list, List.of(), List.of(), new SimpleMeterRegistry());
        assertThat(spanCount(q.find("t1", a, 0, 0))).isEqualTo(1);

        // A listing that does not show the block yet (an eventually consistent store) must not drop it.
        for (String key : store.list("t1/" + meta.blockId() + "/")) {
            if (key.endsWith("meta.json")) {
                store.delete(key);
            }
        }
        list.poll();
        assertThat(list.blocks("t1")).extracting(BlockMeta::blockId).containsExactly(meta.blockId());
    }

    private static int spanCount(TraceResult r) {
        List<Span> spans = new ArrayList<>();
        r.resourceSpans().forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
        return spans.size();
    }

    @Test
    void theBlockListReadsTheTenantIndexAndKeepsBlocksNewerThanIt() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        BlockStore blocks = new BlockStore(store);
        BlockWriter writer = new BlockWriter(store, BlockWriterConfig.defaults());
        BlockMeta a = writer.write("t1", UUID.randomUUID(), 0, List.of(trace(TraceId.parseHex("0a"), T0, 1)).iterator());
        BlockMeta gone = writer.write("t1", UUID.randomUUID(), 0, List.of(trace(TraceId.parseHex("0b"), T0, 1)).iterator());
        BlockList list = new BlockList(blocks, Duration.ofMinutes(1), new SimpleMeterRegistry());
        list.poll(); // the first poll lists the bucket
        assertThat(list.blocks("t1")).extracting(BlockMeta::blockId).containsExactlyInAnyOrder(a.blockId(), gone.blockId());

        // The compactor's index: "a" visible, "gone" compacted. A block written after it ("late") is not in it.
        blocks.markCompacted("t1", gone.blockId(), System.currentTimeMillis());
        io.vivace.storage.block.TenantIndex.write(store, "t1", blocks.listing("t1"), System.currentTimeMillis());
        BlockMeta late = writer.write("t1", UUID.randomUUID(), 0, List.of(trace(TraceId.parseHex("0c"), T0, 1)).iterator());
        list.poll(); // reads the index: "late" was never listed, so it shows up with the next index or listing
        assertThat(list.blocks("t1")).extracting(BlockMeta::blockId).contains(a.blockId()).doesNotContain(gone.blockId());

        // Once a listing (fallback for a stale index) saw "late", index polls keep it until the index knows it.
        store.write("t1/" + io.vivace.storage.block.TenantIndex.NAME, new byte[] {1, 2, 3}); // unreadable: listing
        list.poll();
        assertThat(list.blocks("t1")).extracting(BlockMeta::blockId).containsExactlyInAnyOrder(a.blockId(), late.blockId());
        io.vivace.storage.block.TenantIndex.write(store, "t1",
                new BlockStore.Listing(List.of(a), java.util.Set.of(), java.util.Map.of(gone.blockId(), 0L)), System.currentTimeMillis());
        list.poll();
        assertThat(list.blocks("t1")).extracting(BlockMeta::blockId).containsExactlyInAnyOrder(a.blockId(), late.blockId());
    }
}
