package io.vivace.ingester;

import static io.vivace.ingester.TestSpans.batch;
import static io.vivace.ingester.TestSpans.resourceSpans;
import static io.vivace.ingester.TestSpans.spanIds;
import static io.vivace.ingester.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.metrics.VivaceMetrics;
import io.vivace.common.query.TraceResult;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import io.vivace.storage.StorageConfig;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import io.vivace.storage.block.BlockStore;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.ForwardingObjectStore;
import io.vivace.storage.object.InMemoryObjectStore;
import io.vivace.storage.object.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngesterTest {
    private static final String TENANT = "single-tenant";
    private static final IngesterConfig NEVER_IDLE = IngesterConfig.defaults();
    private static final IngesterConfig QUICK = new IngesterConfig(Duration.ofMillis(100), Duration.ofHours(1),
            IngesterConfig.DEFAULT_MAX_BLOCK_BYTES, Duration.ofMillis(25), 1, Duration.ofHours(1), 1024, 32L << 20, 0L);

    @TempDir
    Path dir;

    private final List<Ingester> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(i -> i.stop(Duration.ofSeconds(10)));
    }

    private StorageConfig storage() {
        StorageConfig d = StorageConfig.defaults();
        return new StorageConfig(new StorageConfig.Trace("local", new StorageConfig.Local(dir.resolve("blocks").toString()),
                new StorageConfig.Wal(dir.resolve("wal").toString()), d.trace().block(), d.trace().blocklistPoll()));
    }

    private Ingester start(IngesterConfig config, OverridesConfig overrides, ObjectStore store, MeterRegistry registry) {
        Ingester ingester = new Ingester(config, storage(), overrides, store, registry);
        running.add(ingester);
        ingester.start();
        return ingester;
    }

    private Ingester start(IngesterConfig config, ObjectStore store) {
        return start(config, OverridesConfig.defaultConfig(), store, VivaceMetrics.newRegistry());
    }

    private static void await(CompletableFuture<?> f) throws Exception {
        f.get(10, TimeUnit.SECONDS);
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static List<Long> combinedSpanIds(TraceResult r) {
        return spanIds(Traces.combine(r.resourceSpans()));
    }

    @Test
    void aTracePushedInSeveralBatchesIsFoundAsOneWithoutDuplicates() throws Exception {
        Ingester ingester = start(NEVER_IDLE, new InMemoryObjectStore());
        TraceId id = traceId(1);

        await(ingester.push(batch(TENANT, resourceSpans("frontend", id, 1, 2))));
        // Read-your-write: visible as soon as the push completed.
        assertThat(spanIds(ingester.find(TENANT, id, 0, 0).resourceSpans())).containsExactly(1L, 2L);
        await(ingester.push(batch(TENANT, resourceSpans("frontend", id, 2, 3), resourceSpans("backend", id, 4))));

        TraceResult found = ingester.find(TENANT, id, 0, 0);
        assertThat(spanIds(found.resourceSpans())).as("pieces, not combined").hasSize(5);
        assertThat(combinedSpanIds(found)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(found.inspectedBytes()).isPositive();
        assertThat(ingester.find(TENANT, traceId(2), 0, 0).resourceSpans()).isEmpty();
        assertThat(ingester.find("other-tenant", id, 0, 0).resourceSpans()).isEmpty();
    }

    @Test
    void findHonoursTheTimeRange() throws Exception {
        Ingester ingester = start(NEVER_IDLE, new InMemoryObjectStore());
        TraceId id = traceId(1);
        await(ingester.push(batch(TENANT, resourceSpans("frontend", id, 1))));
        long spanSeconds = TestSpans.BASE_NANOS / 1_000_000_000L;

        assertThat(ingester.find(TENANT, id, spanSeconds - 10, spanSeconds + 10).resourceSpans()).hasSize(1);
        assertThat(ingester.find(TENANT, id, spanSeconds + 100, spanSeconds + 200).resourceSpans()).isEmpty();
    }

    @Test
    void pushesAreRefusedBeforeStartAndAfterStop() throws Exception {
        Ingester ingester = new Ingester(NEVER_IDLE, storage(), OverridesConfig.defaultConfig(), new InMemoryObjectStore(),
                VivaceMetrics.newRegistry());
        assertThat(ingester.isReady()).isFalse();
        assertRefused(ingester.push(batch(TENANT, resourceSpans("s", traceId(1), 1))), ErrorCategory.UNAVAILABLE);

        running.add(ingester);
        ingester.start();
        assertThat(ingester.isReady()).isTrue();
        ingester.stop(Duration.ofSeconds(10));
        assertThat(ingester.isReady()).isFalse();
        assertRefused(ingester.push(batch(TENANT, resourceSpans("s", traceId(1), 1))), ErrorCategory.UNAVAILABLE);
    }

    @Test
    void tooManyLiveTracesAreRefusedBeforeTheWal() throws Exception {
        MeterRegistry registry = VivaceMetrics.newRegistry();
        OverridesConfig two = new OverridesConfig(new Limits(new Limits.Ingestion("local", 15_000_000, 20_000_000, 2),
                new Limits.Global(5_000_000)), Map.of());
        Ingester ingester = start(NEVER_IDLE, two, new InMemoryObjectStore(), registry);
        await(ingester.push(batch(TENANT, resourceSpans("s", traceId(1), 1))));
        await(ingester.push(batch(TENANT, resourceSpans("s", traceId(2), 1))));
        long walBefore = ingester.wal().lastSequence();

        VivaceException refusal = assertRefused(ingester.push(batch(TENANT, resourceSpans("s", traceId(3), 1, 2, 3))),
                ErrorCategory.RESOURCE_EXHAUSTED);
        assertThat(refusal.reason()).isEqualTo(Ingester.REASON_LIVE_TRACES_EXCEEDED);
        assertThat(refusal.getMessage()).contains("max_traces_per_user 2");
        assertThat(refusal.retryAfter()).isNotNull();
        assertThat(ingester.wal().lastSequence()).as("nothing refused reaches the WAL").isEqualTo(walBefore);
        assertThat(ingester.find(TENANT, traceId(3), 0, 0).resourceSpans()).isEmpty();
        assertThat(registry.get("vivace.discarded.spans").tag("reason", "live_traces_exceeded").counter().count()).isEqualTo(3);

        // More spans for a trace that is already live are fine.
        await(ingester.push(batch(TENANT, resourceSpans("s", traceId(1), 2))));
        assertThat(combinedSpanIds(ingester.find(TENANT, traceId(1), 0, 0))).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void tooLargeTracesAreRefusedBeforeTheWal() throws Exception {
        MeterRegistry registry = VivaceMetrics.newRegistry();
        int oneSpan = TracePieces.encode(List.of(resourceSpans("s", traceId(1), 1))).length;
        OverridesConfig small = new OverridesConfig(new Limits(new Limits.Ingestion("local", 15_000_000, 20_000_000, 10_000),
                new Limits.Global(oneSpan * 2L)), Map.of());
        Ingester ingester = start(NEVER_IDLE, small, new InMemoryObjectStore(), registry);
        await(ingester.push(batch(TENANT, resourceSpans("s", traceId(1), 1))));
        long walBefore = ingester.wal().lastSequence();

        VivaceException refusal = assertRefused(ingester.push(batch(TENANT, resourceSpans("s", traceId(1), 2, 3, 4))),
                ErrorCategory.RESOURCE_EXHAUSTED);
        assertThat(refusal.reason()).isEqualTo(Ingester.REASON_TRACE_TOO_LARGE);
        assertThat(refusal.getMessage()).contains(traceId(1).toHex()).contains("max_bytes_per_trace");
        assertThat(ingester.wal().lastSequence()).isEqualTo(walBefore);
        assertThat(combinedSpanIds(ingester.find(TENANT, traceId(1), 0, 0))).containsExactly(1L);
        assertThat(registry.get("vivace.discarded.spans").tag("reason", "trace_too_large").counter().count()).isEqualTo(3);
    }

    @Test
    void idleTracesAreCutAndFlushedIntoReadableBlocks() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        MeterRegistry registry = VivaceMetrics.newRegistry();
        Ingester ingester = start(QUICK, OverridesConfig.defaultConfig(), store, registry);
        for (int t = 1; t <= 5; t++) {
            await(ingester.push(batch(TENANT, resourceSpans("a", traceId(t), 1, 2))));
            await(ingester.push(batch(TENANT, resourceSpans("b", traceId(t), 2, 3))));
        }
        eventually(() -> registry.get("vivace.ingester.blocks.flushed").counter().count() >= 1, "a block is flushed");

        List<BlockMeta> blocks = new BlockStore(store).blocks(TENANT);
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0).totalTraces()).isEqualTo(5);
        assertThat(blocks.get(0).totalSpans()).as("duplicates removed at block build").isEqualTo(15);
        try (BlockReader reader = BlockReader.open(store, blocks.get(0))) {
            List<TraceId> ids = new ArrayList<>();
            for (Iterator<TraceEntry> it = reader.traces(); it.hasNext(); ) {
                TraceEntry e = it.next();
                ids.add(e.id());
                assertThat(spanIds(e.resourceSpans())).containsExactlyInAnyOrder(1L, 2L, 3L);
            }
            assertThat(ids).isSorted().hasSize(5);
        }
        // Still served by the ingester until the queriers' block list has it.
        TraceResult found = ingester.find(TENANT, traceId(3), 0, 0);
        assertThat(combinedSpanIds(found)).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(found.blocksSearched()).isEqualTo(1);
        assertThat(found.inspectedBytes()).isPositive();
        eventually(() -> ingester.wal().firstSequence() > ingester.wal().lastSequence(), "the WAL is released");
    }

    @Test
    void theWalIsReleasedOnlyAfterTheBlockIsWritten() throws Exception {
        FailingObjectStore store = new FailingObjectStore();
        MeterRegistry registry = VivaceMetrics.newRegistry();
        Ingester ingester = start(NEVER_IDLE, OverridesConfig.defaultConfig(), store, registry);
        for (int t = 1; t <= 3; t++) {
            await(ingester.push(batch(TENANT, resourceSpans("a", traceId(t), 1))));
        }
        long first = ingester.wal().firstSequence();
        long last = ingester.wal().lastSequence();

        store.failing = true;
        assertThatThrownBy(ingester::flushAll).isInstanceOf(VivaceException.class).hasMessageContaining("stay in memory");
        assertThat(ingester.wal().firstSequence()).as("nothing released while the block is not written").isEqualTo(first);
        assertThat(registry.get("vivace.ingester.flush.failures").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(spanIds(ingester.find(TENANT, traceId(2), 0, 0).resourceSpans())).containsExactly(1L);

        // New pushes after the failed cut: their entries must stay even when the old block is written.
        await(ingester.push(batch(TENANT, resourceSpans("a", traceId(9), 1))));
        store.failing = false;
        ingester.flushAll();
        assertThat(ingester.wal().firstSequence()).isGreaterThan(last + 1);
        assertThat(new BlockStore(store).blocks(TENANT)).extracting(BlockMeta::totalTraces).containsExactlyInAnyOrder(3L, 1L);
    }

    @Test
    void aFailedFlushIsRetriedByTheFlushLoop() throws Exception {
        FailingObjectStore store = new FailingObjectStore();
        store.failing = true;
        MeterRegistry registry = VivaceMetrics.newRegistry();
        Ingester ingester = start(QUICK, OverridesConfig.defaultConfig(), store, registry);
        await(ingester.push(batch(TENANT, resourceSpans("a", traceId(1), 1))));
        eventually(() -> registry.get("vivace.ingester.flush.failures").counter().count() >= 1, "a flush fails");
        assertThat(ingester.wal().firstSequence()).isLessThanOrEqualTo(ingester.wal().lastSequence());

        store.failing = false;
        eventually(() -> registry.get("vivace.ingester.blocks.flushed").counter().count() >= 1, "the retry succeeds");
        assertThat(new BlockStore(store).blocks(TENANT)).hasSize(1);
        eventually(() -> ingester.wal().firstSequence() > ingester.wal().lastSequence(), "the WAL is released");
        assertThat(registry.get("vivace.ingester.memory.bytes").gauge().value()).isZero();
    }

    @Test
    void flushedBlocksAreServedUntilTheCompleteBlockTimeout() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        IngesterConfig shortServe = new IngesterConfig(Duration.ofHours(1), Duration.ofHours(1), IngesterConfig.DEFAULT_MAX_BLOCK_BYTES,
                Duration.ofMillis(25), 1, Duration.ofMillis(300), 1024, 32L << 20, 0L);
        Ingester ingester = start(shortServe, store);
        await(ingester.push(batch(TENANT, resourceSpans("a", traceId(1), 1))));
        ingester.flushAll();
        assertThat(ingester.find(TENANT, traceId(1), 0, 0).blocksSearched()).isEqualTo(1);

        eventually(() -> ingester.find(TENANT, traceId(1), 0, 0).resourceSpans().isEmpty(), "the block is no longer served");
        assertThat(new BlockStore(store).blocks(TENANT)).as("the block itself stays").hasSize(1);
    }

    @Test
    void pushesAreRefusedWhileTheIngesterHoldsItsMemoryLimit() throws Exception {
        IngesterConfig d = NEVER_IDLE;
        IngesterConfig small = new IngesterConfig(d.traceIdlePeriod(), d.maxBlockDuration(), d.maxBlockBytes(), d.flushCheckPeriod(),
                d.concurrentFlushes(), d.completeBlockTimeout(), d.walGroupCommitMaxBatch(), d.walGroupCommitMaxBytes(), 1);
        MeterRegistry registry = VivaceMetrics.newRegistry();
        Ingester ingester = start(small, OverridesConfig.defaultConfig(), new InMemoryObjectStore(), registry);
        await(ingester.push(batch(TENANT, resourceSpans("a", traceId(1), 1))));
        assertThatThrownBy(() -> await(ingester.push(batch(TENANT, resourceSpans("a", traceId(2), 2)))))
                .hasCauseInstanceOf(VivaceException.class)
                .hasMessageContaining("ingester memory limit reached");
        assertThat(ingester.find(TENANT, traceId(2), 0, 0).resourceSpans()).as("nothing of the refused push is kept").isEmpty();
        ingester.flushAll();
        await(ingester.push(batch(TENANT, resourceSpans("a", traceId(3), 3))));
        assertThat(combinedSpanIds(ingester.find(TENANT, traceId(3), 0, 0))).containsExactly(3L);
        assertThat(IngesterConfig.defaults().effectiveMaxBytesInMemory()).isEqualTo(Runtime.getRuntime().maxMemory() / 10 * 4);
    }

    @Test
    void aBlockHandedOffIsNoLongerServedHereAndAFailedHandoffKeepsServingIt() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        List<io.vivace.storage.block.BlockMeta> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Ingester ingester = new Ingester(NEVER_IDLE, storage(), OverridesConfig.defaultConfig(), store,
                VivaceMetrics.newRegistry(), handed::add);
        running.add(ingester);
        ingester.start();
        await(ingester.push(batch(TENANT, resourceSpans("a", traceId(1), 1))));
        ingester.flushAll();
        assertThat(handed).hasSize(1);
        assertThat(handed.get(0).totalSpans()).isEqualTo(1);
        assertThat(ingester.find(TENANT, traceId(1), 0, 0).resourceSpans()).as("served by the queriers now").isEmpty();
        ingester.stop(Duration.ofSeconds(10));

        Path otherWal = dir.resolve("wal-2");
        StorageConfig d = storage();
        StorageConfig second = new StorageConfig(new StorageConfig.Trace("local", d.trace().local(),
                new StorageConfig.Wal(otherWal.toString()), d.trace().block(), d.trace().blocklistPoll()));
        Ingester failing = new Ingester(NEVER_IDLE, second, OverridesConfig.defaultConfig(), store, VivaceMetrics.newRegistry(),
                meta -> {
                    throw new IllegalStateException("querier unreachable");
                });
        running.add(failing);
        failing.start();
        await(failing.push(batch(TENANT, resourceSpans("a", traceId(2), 2))));
        failing.flushAll();
        assertThat(failing.find(TENANT, traceId(2), 0, 0).blocksSearched()).as("still served here").isEqualTo(1);
        assertThat(combinedSpanIds(failing.find(TENANT, traceId(2), 0, 0))).containsExactly(2L);
    }

    @Test
    void pushesAfterACutStayInTheWalUntilTheirOwnBlockIsWritten() throws Exception {
        Ingester ingester = start(NEVER_IDLE, new InMemoryObjectStore());
        await(ingester.push(batch(TENANT, resourceSpans("a", traceId(1), 1))));
        ingester.flushAll();
        await(ingester.push(batch(TENANT, resourceSpans("a", traceId(2), 1))));
        long pending = ingester.wal().lastSequence();

        List<WalEntry> left = new ArrayList<>();
        ingester.wal().replay(left::add);
        assertThat(left).extracting(WalEntry::sequence).containsExactly(pending);
    }

    @Test
    void aRestartReplaysTheWalAndFindsEveryTrace() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Ingester first = start(NEVER_IDLE, store);
        await(first.push(batch(TENANT, resourceSpans("a", traceId(100), 1))));
        first.flushAll();
        for (int t = 1; t <= 50; t++) {
            await(first.push(batch(TENANT, resourceSpans("a", traceId(t), 1, 2))));
            await(first.push(batch("tenant-" + (t % 3), resourceSpans("b", traceId(t), 3))));
        }
        first.haltWithoutFlush();

        MeterRegistry registry = VivaceMetrics.newRegistry();
        Ingester second = start(NEVER_IDLE, OverridesConfig.defaultConfig(), store, registry);
        assertThat(second.isReady()).isTrue();
        for (int t = 1; t <= 50; t++) {
            assertThat(combinedSpanIds(second.find(TENANT, traceId(t), 0, 0))).containsExactlyInAnyOrder(1L, 2L);
            assertThat(combinedSpanIds(second.find("tenant-" + (t % 3), traceId(t), 0, 0))).containsExactly(3L);
        }
        // The flushed trace was released from the WAL: it lives in its block only.
        assertThat(second.find(TENANT, traceId(100), 0, 0).resourceSpans()).isEmpty();
        assertThat(registry.get("vivace.ingester.live.traces").gauge().value()).isEqualTo(100);

        // Replayed traces are flushed like any other.
        second.flushAll();
        assertThat(second.wal().firstSequence()).isGreaterThan(second.wal().lastSequence());
        long traces = 0;
        for (BlockMeta m : new BlockStore(store).blocks(TENANT)) {
            traces += m.totalTraces();
        }
        assertThat(traces).isEqualTo(51);
    }

    @Test
    void stopCutsAndFlushesEverything() throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        Ingester ingester = start(NEVER_IDLE, store);
        for (int t = 1; t <= 10; t++) {
            await(ingester.push(batch(TENANT, resourceSpans("a", traceId(t), 1))));
        }
        ingester.stop(Duration.ofSeconds(30));

        assertThat(new BlockStore(store).blocks(TENANT)).extracting(BlockMeta::totalTraces).containsExactly(10L);
        RocksDbWal wal = new RocksDbWal(dir.resolve("wal"), NEVER_IDLE, VivaceMetrics.newRegistry());
        wal.start();
        try {
            List<WalEntry> left = new ArrayList<>();
            wal.replay(left::add);
            assertThat(left).isEmpty();
        } finally {
            wal.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void concurrentPushesAllCompleteAndAreFindable() throws Exception {
        Ingester ingester = start(NEVER_IDLE, new InMemoryObjectStore());
        int threads = 8;
        int perThread = 100;
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            Thread thread = new Thread(() -> {
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    TraceId id = traceId(worker * 1000L + i);
                    // Every trace also gets a span from a shared trace, to contend on one live trace.
                    List<ResourceSpans> rs = List.of(resourceSpans("w" + worker, id, 1, 2, 3),
                            resourceSpans("w" + worker, traceId(999_999), worker * 1000L + i + 1));
                    futures.add(ingester.push(batch(TENANT, rs)));
                }
                try {
                    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    errors.add(e);
                }
            });
            thread.start();
            workers.add(thread);
        }
        for (Thread t : workers) {
            t.join();
        }
        assertThat(errors).isEmpty();
        for (int w = 0; w < threads; w++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(combinedSpanIds(ingester.find(TENANT, traceId(w * 1000L + i), 0, 0))).containsExactlyInAnyOrder(1L, 2L, 3L);
            }
        }
        assertThat(combinedSpanIds(ingester.find(TENANT, traceId(999_999), 0, 0))).hasSize(threads * perThread);
    }

    private static VivaceException assertRefused(CompletableFuture<Void> push, ErrorCategory category) {
        try {
            push.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(VivaceException.class);
            VivaceException v = (VivaceException) e.getCause();
            assertThat(v.category()).isEqualTo(category);
            return v;
        } catch (Exception e) {
            throw new AssertionError("push neither completed nor failed", e);
        }
        throw new AssertionError("push succeeded (expected: refused with " + category + ")");
    }

    /** An in-memory store whose writes fail while {@link #failing} is set, like an unreachable bucket. */
    static final class FailingObjectStore extends ForwardingObjectStore {
        volatile boolean failing;

        FailingObjectStore() {
            super(new InMemoryObjectStore());
        }

        @Override
        public void write(String key, byte[] data) throws IOException {
            if (failing) {
                throw new IOException("simulated: bucket unreachable writing " + key);
            }
            super.write(key, data);
        }
    }
}
