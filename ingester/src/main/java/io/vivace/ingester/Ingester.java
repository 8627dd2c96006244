package io.vivace.ingester;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.common.lifecycle.AbstractService;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.query.TraceLookup;
import io.vivace.common.query.TraceResult;
import io.vivace.ingest.IngestConsumer;
import io.vivace.ingest.PushBatch;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import io.vivace.storage.StorageConfig;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingester role for single-binary mode: makes pushed spans durable in its {@link RocksDbWal},
 * keeps them as live traces per tenant, cuts idle traces into head blocks, writes cut blocks to
 * object storage and releases the WAL behind them; answers trace-by-ID lookups for everything not
 * yet in the queriers' block list.
 *
 * <p>Push path: split the batch by trace → check the tenant's limits and reserve room (a refusal
 * happens here, before the WAL, so nothing acknowledged is ever dropped) → WAL append (group
 * commit) → once synced, append each trace's pieces to its live trace → complete the push. A client
 * that reads right after its push completed finds its spans.
 *
 * <p>Start replays the WAL into live traces before {@link #isReady()} turns true. Spans already
 * written into a block before a crash (the WAL is released only after the block is complete) are
 * written again into a new block; trace combining removes such duplicates at read time and
 * compaction removes them for good.
 *
 * <p>Stop (SIGTERM) refuses new pushes, waits for those under way, cuts and writes every trace, then
 * closes the WAL. If writing fails the data stays in the WAL and is replayed at the next start.
 */
public final class Ingester extends AbstractService implements IngestConsumer, TraceLookup,
        io.vivace.traceql.engine.RecentSearch {
    private static final Logger log = LoggerFactory.getLogger(Ingester.class);

    /** Discard reason when a trace would exceed {@code max_bytes_per_trace}. */
    public static final String REASON_TRACE_TOO_LARGE = "trace_too_large";
    /** Discard reason when a tenant would exceed {@code max_traces_per_user}. */
    public static final String REASON_LIVE_TRACES_EXCEEDED = "live_traces_exceeded";
    /** {@code vivace_discarded_spans_total} reason: the ingester holds {@code max_bytes_in_memory} already. */
    public static final String REASON_MEMORY_LIMIT = "memory_limit";

    private static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final IngesterConfig config;
    private final OverridesConfig overrides;
    private final ObjectStore blockStore;
    private final BlockWriterConfig writerConfig;
    private final MeterRegistry registry;
    private final RocksDbWal wal;
    private final Map<String, TenantTraces> tenants = new ConcurrentHashMap<>();

    private final Object sweepLock = new Object();
    private final Object releaseLock = new Object();
    private final AtomicInteger pushesUnderWay = new AtomicInteger();
    private final AtomicLong bytesInMemory = new AtomicLong();

    /** Highest WAL sequence applied to memory; appends are applied strictly in sequence order. */
    private volatile long appliedSequence;
    /** Highest WAL sequence released. */
    private long releasedSequence;
    private volatile boolean accepting;
    private volatile boolean ready;
    private volatile boolean halted;

    private ScheduledExecutorService flushLoop;
    private ExecutorService flushers;
    private final BlockHandoff handoff;
    private final long maxBytesInMemory;

    private final Counter tracesCreated;
    private final Counter blocksFlushed;
    private final Counter flushFailures;
    private final Counter flushedBytes;
    private final Timer flushDuration;

    /**
     * Creates the ingester; nothing happens until {@link #start()}.
     *
     * @param config the {@code ingester} section
     * @param storage the {@code storage} section: the WAL directory and the block format tuning
     * @param overrides per-tenant limits ({@code max_traces_per_user}, {@code max_bytes_per_trace})
     * @param blockStore where blocks are written and read back from
     * @param registry where metrics go
     * @throws IllegalArgumentException when {@code config} is invalid, listing every problem
     */
    public Ingester(IngesterConfig config, StorageConfig storage, OverridesConfig overrides, ObjectStore blockStore,
            MeterRegistry registry) {
        this(config, storage, overrides, blockStore, registry, null);
    }

    /**
     * Creates the ingester with a {@link BlockHandoff} told about every written block; nothing
     * happens until {@link #start()}.
     *
     * @param handoff makes written blocks visible to the queriers, or {@code null} to serve them here
     *     for {@code complete_block_timeout}
     * @see #Ingester(IngesterConfig, StorageConfig, OverridesConfig, ObjectStore, MeterRegistry)
     */
    public Ingester(IngesterConfig config, StorageConfig storage, OverridesConfig overrides, ObjectStore blockStore,
            MeterRegistry registry, BlockHandoff handoff) {
        super("ingester");
        this.handoff = handoff;
        this.maxBytesInMemory = config.effectiveMaxBytesInMemory();
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(storage, "storage");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.blockStore = Objects.requireNonNull(blockStore, "blockStore");
        this.registry = Objects.requireNonNull(registry, "registry");
        List<String> errors = config.validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid ingester configuration: " + String.join("; ", errors));
        }
        this.writerConfig = storage.trace().block().writerConfig();
        this.wal = new RocksDbWal(Path.of(storage.trace().wal().path()), config, registry);

        tracesCreated = Counter.builder("vivace.ingester.traces.created").description("Live traces created").register(registry);
        blocksFlushed = Counter.builder("vivace.ingester.blocks.flushed").description("Blocks written to object storage").register(registry);
        flushFailures = Counter.builder("vivace.ingester.flush.failures").description("Block writes that failed and will be retried")
                .register(registry);
        flushedBytes = Counter.builder("vivace.ingester.flushed.bytes").baseUnit("bytes")
                .description("Bytes of blocks written to object storage").register(registry);
        flushDuration = Timer.builder("vivace.ingester.flush.duration").description("Time to write one block").register(registry);
        Gauge.builder("vivace.ingester.live.traces", this, Ingester::liveTraces).description("Live traces held in memory")
                .register(registry);
        Gauge.builder("vivace.ingester.memory.bytes", bytesInMemory, AtomicLong::get).baseUnit("bytes")
                .description("OTLP bytes of spans held in memory: live traces, head blocks and blocks not yet written")
                .register(registry);
    }

    /** The ingester's WAL (for metrics and tests). */
    public RocksDbWal wal() {
        return wal;
    }

    /** True once the WAL is replayed and pushes are accepted; false again while stopping. */
    public boolean isReady() {
        return ready;
    }

    @Override
    protected void doStart() throws Exception {
        wal.start();
        RocksDbWal.ReplayStats stats = wal.replay(this::replayEntry);
        appliedSequence = wal.lastSequence();
        releasedSequence = wal.firstSequence() - 1;
        int live = liveTraces();
        if (stats.entries() > 0) {
            log.info("ingester replayed wal entries={} bytes={} live_traces={} duration_ms={}", stats.entries(), stats.bytes(), live,
                    stats.millis());
        }
        flushers = Executors.newFixedThreadPool(config.concurrentFlushes(), daemonThreads("vivace-ingester-flush"));
        flushLoop = Executors.newSingleThreadScheduledExecutor(daemonThreads("vivace-ingester-flush-loop"));
        long period = config.flushCheckPeriod().toNanos();
        flushLoop.scheduleWithFixedDelay(this::sweepSafely, period, period, TimeUnit.NANOSECONDS);
        accepting = true;
        ready = true;
    }

    private void replayEntry(WalEntry entry) {
        List<TracePieces.Prepared> traces;
        try {
            traces = TracePieces.prepare(entry.tracesData(), false);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("WAL entry " + entry.sequence() + " of tenant \"" + entry.tenant()
                    + "\" is not valid OTLP TracesData (" + e.getMessage() + "); move storage.trace.wal.path away to start"
                    + " without it (its unflushed spans would be lost)", e);
        }
        // Acknowledged data: limits do not apply on replay, nothing is dropped.
        apply(tenant(entry.tenant()), traces, entry.sequence());
    }

    @Override
    protected void doStop(Duration timeout) throws Exception {
        accepting = false;
        ready = false;
        if (halted) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pushesUnderWay.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        if (flushLoop != null) {
            flushLoop.shutdown();
            flushLoop.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (flushers != null && wal.state() == State.RUNNING) {
            try {
                flushAll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                log.error("ingester could not write every block while stopping; the spans stay in the WAL and are replayed at the next start",
                        e);
            }
        }
        if (flushers != null) {
            flushers.shutdown();
            if (!flushers.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                flushers.shutdownNow();
            }
        }
        closeReaders();
        wal.stop(Duration.ofNanos(Math.max(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime())));
    }

    /**
     * Stops at once without cutting or writing anything and closes the WAL, as a crash would leave
     * things (tests use it to check replay). The service cannot be used afterwards.
     */
    void haltWithoutFlush() {
        halted = true;
        accepting = false;
        ready = false;
        if (flushLoop != null) {
            flushLoop.shutdownNow();
        }
        if (flushers != null) {
            flushers.shutdownNow();
        }
        closeReaders();
        wal.stop(Duration.ofSeconds(5));
    }

    @Override
    public CompletableFuture<Void> push(PushBatch batch) {
        Objects.requireNonNull(batch, "batch");
        // Counted before the check so that stop(), which flips the flag and then waits for this
        // count to reach zero, never misses a push that passed the check.
        pushesUnderWay.incrementAndGet();
        try {
            return pushCounted(batch);
        } catch (RuntimeException e) {
            pushesUnderWay.decrementAndGet();
            throw e;
        }
    }

    private CompletableFuture<Void> pushCounted(PushBatch batch) {
        if (!accepting) {
            pushesUnderWay.decrementAndGet();
            return CompletableFuture.failedFuture(new VivaceException(ErrorCategory.UNAVAILABLE, "ingester_not_ready",
                    "the ingester is not accepting pushes (replaying its WAL or stopping); retry shortly", Duration.ofSeconds(1)));
        }
        long inMemory = bytesInMemory.get();
        if (inMemory > maxBytesInMemory) {
            // Refuse rather than run out of heap: the client retries once blocks are written.
            pushesUnderWay.decrementAndGet();
            discarded(REASON_MEMORY_LIMIT, batch.tenant()).increment(batch.spanCount());
            return CompletableFuture.failedFuture(new VivaceException(ErrorCategory.RESOURCE_EXHAUSTED, REASON_MEMORY_LIMIT,
                    "ingester memory limit reached: " + inMemory + " bytes of spans held (ingester.max_bytes_in_memory: "
                            + maxBytesInMemory + "); retry shortly", Duration.ofSeconds(1)));
        }
        byte[] encoded = batch.encoded();
        if (encoded.length == 0) {
            // A producer that did not keep the wire form: encode it once here.
            encoded = TracesData.newBuilder().addAllResourceSpans(batch.resourceSpans()).build().toByteArray();
        }
        // Split on the wire form: each trace's bytes are copied ranges of the request, no objects.
        List<TracePieces.Prepared> traces = TracePieces.prepare(encoded);
        if (traces.isEmpty()) {
            pushesUnderWay.decrementAndGet();
            return CompletableFuture.completedFuture(null);
        }
        TenantTraces tenant = tenant(batch.tenant());
        Limits limits = overrides.forTenant(batch.tenant());
        VivaceException refusal = tenant.reserve(traces, limits.ingestion().maxTracesPerUser(), limits.global().maxBytesPerTrace(),
                config.traceIdlePeriod(), System.nanoTime());
        if (refusal != null) {
            int spans = 0;
            for (TracePieces.Prepared p : traces) {
                spans += p.spanCount();
            }
            discarded(refusal.reason(), batch.tenant()).increment(spans);
            pushesUnderWay.decrementAndGet();
            return CompletableFuture.failedFuture(refusal);
        }
        CompletableFuture<Void> durable;
        try {
            durable = wal.append(batch.tenant(), encoded, seq -> {
                apply(tenant, traces, seq);
                return null;
            });
        } catch (RuntimeException e) {
            tenant.unreserve(traces);
            throw e;
        }
        return durable.whenComplete((ok, error) -> {
            if (error != null) {
                tenant.unreserve(traces);
            }
            pushesUnderWay.decrementAndGet();
        });
    }

    /** Runs on the WAL's completion thread, in sequence order (or during replay). */
    private void apply(TenantTraces tenant, List<TracePieces.Prepared> traces, long sequence) {
        int created = tenant.apply(traces, sequence, System.nanoTime());
        long bytes = 0;
        for (TracePieces.Prepared p : traces) {
            bytes += p.bytes().length;
        }
        bytesInMemory.addAndGet(bytes);
        appliedSequence = sequence;
        if (created > 0) {
            tracesCreated.increment(created);
        }
    }

    @Override
    public TraceResult find(String tenantId, TraceId id, long startSeconds, long endSeconds) {
        Objects.requireNonNull(tenantId, "tenant");
        Objects.requireNonNull(id, "id");
        TenantTraces tenant = tenants.get(tenantId);
        if (tenant == null) {
            return TraceResult.empty();
        }
        long from = startSeconds <= 0 ? 0 : TimeUnit.SECONDS.toNanos(startSeconds);
        long to = endSeconds <= 0 ? 0 : TimeUnit.SECONDS.toNanos(endSeconds);
        List<TraceBuffer.Snapshot> inMemory = new ArrayList<>(4);
        List<TenantTraces.CutBlock> written = new ArrayList<>(2);
        synchronized (tenant) {
            // Oldest first: written blocks, blocks being written, the head block, the live trace.
            for (TenantTraces.CutBlock b : tenant.blocks) {
                if (b.state == TenantTraces.CutBlock.State.FLUSHED) {
                    if (b.reader != null && overlaps(b.meta, from, to)) {
                        b.lookups++;
                        written.add(b);
                    }
                } else {
                    addIfOverlapping(inMemory, b.traces.get(id), from, to);
                }
            }
            addIfOverlapping(inMemory, tenant.head.traces.get(id), from, to);
            addIfOverlapping(inMemory, tenant.live.get(id), from, to);
        }
        List<ResourceSpans> pieces = new ArrayList<>();
        long inspected = 0;
        int blocksSearched = 0;
        try {
            for (TenantTraces.CutBlock b : written) {
                BlockReader reader = b.reader;
                long before = reader.bytesRead();
                if (reader.mayContain(id)) {
                    blocksSearched++;
                    reader.findTrace(id).ifPresent(t -> pieces.addAll(t.resourceSpans()));
                }
                // Shared readers: a concurrent lookup's reads may land in this delta too.
                inspected += reader.bytesRead() - before;
            }
        } catch (IOException e) {
            throw new VivaceException(ErrorCategory.INTERNAL, "block_read_failed", "reading a recently flushed block of tenant \""
                    + tenantId + "\" failed: " + e.getMessage());
        } finally {
            for (TenantTraces.CutBlock b : written) {
                BlockReader toClose = tenant.releaseReader(b);
                if (toClose != null) {
                    toClose.close();
                }
            }
        }
        for (TraceBuffer.Snapshot s : inMemory) {
            pieces.addAll(s.decode());
            inspected += s.length();
        }
        return new TraceResult(pieces, inspected, blocksSearched);
    }

    /**
     * The tenant's recent data (live traces, the head block, cut blocks not yet written) as a search
     * source; empty when the tenant has sent nothing.
     */
    @Override
    public io.vivace.traceql.engine.TraceSource recentTraces(String tenantId) {
        Objects.requireNonNull(tenantId, "tenant");
        TenantTraces tenant = tenants.get(tenantId);
        if (tenant == null) {
            return (request, stats, sink) -> { };
        }
        return new RecentTraces(tenant);
    }

    private static void addIfOverlapping(List<TraceBuffer.Snapshot> out, TraceBuffer b, long from, long to) {
        if (b != null && b.length() > 0 && b.overlaps(from, to)) {
            out.add(b.snapshot());
        }
    }

    private static boolean overlaps(BlockMeta meta, long from, long to) {
        return (to == 0 || meta.startTimeUnixNano() <= to) && (from == 0 || meta.endTimeUnixNano() >= from);
    }

    /**
     * Cuts every live trace and head block and writes every cut block, returning once they are
     * written and the WAL is released behind them. Pushes still under way are not waited for.
     *
     * @throws VivaceException when a block could not be written; its data stays in memory and in the
     *     WAL and is retried by the flush loop
     */
    public void flushAll() {
        flushAll(Duration.ofMinutes(5));
    }

    private void flushAll(Duration timeout) {
        if (halted || flushers == null) {
            throw new IllegalStateException("flushAll(): the ingester is not running (state " + state() + ")");
        }
        List<CompletableFuture<Void>> attempts = new ArrayList<>();
        synchronized (sweepLock) {
            sweep(System.nanoTime(), true);
            for (TenantTraces t : tenants.values()) {
                attempts.addAll(t.unfinishedAttempts());
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable first = null;
        int failed = 0;
        for (CompletableFuture<Void> a : attempts) {
            try {
                a.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? e.getCause() : first;
            } catch (TimeoutException e) {
                failed++;
                first = first == null ? e : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VivaceException(ErrorCategory.UNAVAILABLE, "interrupted", "interrupted while flushing blocks");
            }
        }
        releaseWal();
        if (failed > 0) {
            throw new VivaceException(ErrorCategory.INTERNAL, "flush_failed", "writing " + failed + " of " + attempts.size()
                    + " blocks failed (first: " + first + "); their spans stay in memory and in the WAL and are retried");
        }
    }

    private void sweepSafely() {
        try {
            synchronized (sweepLock) {
                sweep(System.nanoTime(), false);
            }
            releaseWal();
        } catch (Throwable t) {
            // Never let an exception end the scheduled loop: log it and try again next period.
            log.error("ingester flush loop failed; retrying at the next check", t);
        }
    }

    /** One pass of the flush loop: cut idle traces and due head blocks, (re)submit block writes, expire old blocks. */
    private void sweep(long now, boolean force) {
        long idle = config.traceIdlePeriod().toNanos();
        long maxAge = config.maxBlockDuration().toNanos();
        long keep = config.completeBlockTimeout().toNanos();
        for (TenantTraces t : tenants.values()) {
            t.cutIdleTraces(now, idle, maxAge, force);
            TenantTraces.CutBlock cut = t.maybeCutHead(now, maxAge, config.maxBlockBytes(), idle, force);
            if (cut != null) {
                log.debug("ingester cut block tenant={} block={} traces={} spans={} bytes={}", t.tenant, cut.id, cut.traces.size(),
                        cut.spans, cut.bytes);
            }
            for (TenantTraces.CutBlock b : t.takeDueBlocks(now, force)) {
                try {
                    flushers.execute(() -> flush(t, b));
                } catch (RuntimeException e) {
                    // Rejected while stopping: leave the block to the WAL replay.
                    synchronized (t) {
                        b.state = TenantTraces.CutBlock.State.WAITING;
                    }
                    b.attempt.completeExceptionally(e);
                }
            }
            for (BlockReader r : t.expireFlushed(now, keep)) {
                r.close();
            }
        }
    }

    private void flush(TenantTraces tenant, TenantTraces.CutBlock block) {
        long t0 = System.nanoTime();
        try {
            List<Map.Entry<TraceId, TraceBuffer>> sorted = new ArrayList<>(block.traces.entrySet());
            sorted.sort(Map.Entry.comparingByKey());
            Iterator<TraceEntry> entries = sorted.stream()
                    .map(e -> new TraceEntry(e.getKey(), Traces.combine(e.getValue().decode())))
                    .iterator();
            BlockMeta meta = new BlockWriter(blockStore, writerConfig).write(tenant.tenant, block.id, 0, entries);
            boolean handedOff = false;
            if (handoff != null) {
                try {
                    handoff.blockWritten(meta);
                    handedOff = true;
                } catch (RuntimeException e) {
                    log.warn("ingester block handoff failed tenant={} block={}; serving it here error=\"{}\"", tenant.tenant, block.id,
                            e.toString());
                }
            }
            // A handed-off block is served by the queriers; keeping no reader here makes lookups skip it.
            BlockReader reader = handedOff ? null : BlockReader.open(blockStore, meta);
            long now = System.nanoTime();
            synchronized (tenant) {
                block.meta = meta;
                block.reader = reader;
                block.flushedNanos = now;
                block.state = TenantTraces.CutBlock.State.FLUSHED;
                block.traces = null;
            }
            bytesInMemory.addAndGet(-block.bytes);
            blocksFlushed.increment();
            flushedBytes.increment(meta.size());
            flushDuration.record(now - t0, TimeUnit.NANOSECONDS);
            log.info("ingester flushed block tenant={} block={} traces={} spans={} size={} duration_ms={}", tenant.tenant, block.id,
                    meta.totalTraces(), meta.totalSpans(), meta.size(), TimeUnit.NANOSECONDS.toMillis(now - t0));
            block.attempt.complete(null);
            releaseWal();
        } catch (Throwable e) {
            long backoff;
            synchronized (tenant) {
                block.attempts++;
                backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(16, block.attempts - 1));
                block.nextAttemptNanos = System.nanoTime() + backoff;
                block.state = TenantTraces.CutBlock.State.WAITING;
            }
            flushFailures.increment();
            log.warn("ingester could not write block tenant={} block={} attempt={}; retrying in {} ms, spans stay in memory and WAL",
                    tenant.tenant, block.id, block.attempts, TimeUnit.NANOSECONDS.toMillis(backoff), e);
            block.attempt.completeExceptionally(e);
        }
    }

    /**
     * Releases the WAL up to the watermark: one below the smallest sequence still held only in
     * memory (live traces, head blocks, blocks not yet written), and never past what was applied.
     */
    private void releaseWal() {
        synchronized (releaseLock) {
            if (wal.state() != State.RUNNING) {
                return;
            }
            // Read the applied mark first: anything at or below it is in some tenant's structures,
            // which are then scanned under their locks, so nothing is missed between the two reads.
            long applied = appliedSequence;
            long minReferenced = Long.MAX_VALUE;
            for (TenantTraces t : tenants.values()) {
                minReferenced = Math.min(minReferenced, t.minReferencedSequence());
            }
            long watermark = minReferenced == Long.MAX_VALUE ? applied : Math.min(applied, minReferenced - 1);
            if (watermark > releasedSequence) {
                try {
                    wal.release(watermark);
                    releasedSequence = watermark;
                } catch (Exception e) {
                    log.warn("ingester could not release the WAL up to {}; will retry", watermark, e);
                }
            }
        }
    }

    private TenantTraces tenant(String tenant) {
        return tenants.computeIfAbsent(tenant, TenantTraces::new);
    }

    private int liveTraces() {
        int n = 0;
        for (TenantTraces t : tenants.values()) {
            n += t.liveTraceCount();
        }
        return n;
    }

    private Counter discarded(String reason, String tenant) {
        return Counter.builder("vivace.discarded.spans").description("Spans refused, by reason")
                .tag("reason", reason).tag("tenant", tenant).register(registry);
    }

    private void closeReaders() {
        for (TenantTraces t : tenants.values()) {
            synchronized (t) {
                for (TenantTraces.CutBlock b : t.blocks) {
                    if (b.reader != null) {
                        b.reader.close();
                    }
                }
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
