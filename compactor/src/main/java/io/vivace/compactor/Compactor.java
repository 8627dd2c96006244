package io.vivace.compactor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vivace.common.lifecycle.AbstractService;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import io.vivace.storage.block.BlockStore;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TenantIndex;
import io.vivace.storage.block.TraceEntry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compactor role. Each cycle, per tenant:
 * <ol>
 *   <li><b>Finish</b> what a stopped compactor left: blocks that a visible output replaces but that
 *       carry no compacted marker get one.</li>
 *   <li><b>Retention</b>: visible blocks that ended before {@code now - block_retention} (the
 *       tenant's {@code overrides.*.compaction.block_retention} when set) are marked compacted.</li>
 *   <li><b>Compaction</b>: visible blocks are grouped by the window their end falls in; a group of
 *       at least {@code min_input_blocks} is merged (lowest level and oldest first, at most {@code
 *       max_input_blocks}, within {@code max_block_bytes} and {@code max_compaction_objects}) into
 *       one block one level above the highest input. The output first records which blocks it replaces, then
 *       is written with its meta last: the moment the meta exists readers see the output instead of
 *       the inputs, atomically. Then the inputs are marked compacted.</li>
 *   <li><b>Deletion</b>: blocks marked longer than {@code compacted_block_retention} ago are deleted
 *       (meta first), so a query that listed them just before can still read them.</li>
 *   <li><b>Tenant index</b>: the visible blocks are written to {@code <tenant>/index.json.gz}
 *       ({@link TenantIndex}) for the queriers' block lists.</li>
 * </ol>
 * A crash at any step leaves a consistent bucket: an output without meta is invisible (its inputs
 * still serve), an output with meta hides its inputs whether or not they were marked.
 */
public final class Compactor extends AbstractService {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);

    private final CompactorConfig.Compaction config;
    private final BlockStore blocks;
    private final BlockWriterConfig writerConfig;
    private final JobOwnership ownership;
    private final OverridesConfig overrides;
    private final Clock clock;
    private final Counter blocksCompacted;
    private final Counter blocksWritten;
    private final Counter spansRead;
    private final Counter spansWritten;
    private final Counter bytesWritten;
    private final Counter blocksExpired;
    private final Counter blocksDeleted;
    private final Counter failures;
    private final Timer jobDuration;
    private ScheduledExecutorService loop;
    /** Blocks that could not be read through after a failed compaction (in memory: found again after a restart). */
    private final java.util.Set<UUID> quarantined = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Creates the compactor; nothing happens until {@link #start()} (or {@link #runCycle()}).
     *
     * @param writerConfig how output blocks are written (the ingester's block settings)
     */
    public Compactor(CompactorConfig config, OverridesConfig overrides, BlockStore blocks, BlockWriterConfig writerConfig,
            JobOwnership ownership, Clock clock, MeterRegistry registry) {
        super("compactor");
        List<String> errors = config.validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        this.config = config.compaction();
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.writerConfig = Objects.requireNonNull(writerConfig, "writerConfig");
        this.ownership = Objects.requireNonNull(ownership, "ownership");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.blocksCompacted = Counter.builder("vivace_compactor_blocks_compacted_total")
                .description("Input blocks merged into larger ones").register(registry);
        this.blocksWritten = Counter.builder("vivace_compactor_blocks_written_total")
                .description("Output blocks written").register(registry);
        this.spansRead = Counter.builder("vivace_compactor_spans_read_total").description("Spans read from input blocks")
                .register(registry);
        this.spansWritten = Counter.builder("vivace_compactor_spans_written_total")
                .description("Spans written to output blocks (read minus duplicates)").register(registry);
        this.bytesWritten = Counter.builder("vivace_compactor_bytes_written_total").description("Bytes of output blocks")
                .register(registry);
        this.blocksExpired = Counter.builder("vivace_compactor_blocks_expired_total")
                .description("Blocks marked for deletion by retention").register(registry);
        this.blocksDeleted = Counter.builder("vivace_compactor_blocks_deleted_total")
                .description("Replaced or expired blocks deleted after the grace period").register(registry);
        this.failures = Counter.builder("vivace_compactor_failures_total").description("Compaction jobs that failed")
                .register(registry);
        this.jobDuration = Timer.builder("vivace_compactor_job_duration_seconds").description("Time per compaction job")
                .register(registry);
        registry.gauge("vivace_compactor_quarantined_blocks", quarantined, java.util.Set::size);
    }

    @Override
    protected void doStart() {
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vivace-compactor");
            t.setDaemon(true);
            return t;
        });
        long period = config.compactionCycle().toMillis();
        loop.scheduleWithFixedDelay(this::runCycleSafely, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop(Duration timeout) throws InterruptedException {
        if (loop != null) {
            loop.shutdownNow();
            loop.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runCycleSafely() {
        try {
            runCycle();
        } catch (RuntimeException | IOException e) {
            failures.increment();
            log.warn("event=compaction_cycle_failed error=\"{}\"", e.toString());
        }
    }

    /** One cycle over every tenant (what the loop runs; public for tests and tools). */
    public void runCycle() throws IOException {
        for (String tenant : blocks.tenants()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            runTenant(tenant);
        }
    }

    private void runTenant(String tenant) throws IOException {
        long now = clock.millis();
        BlockStore.Listing listing = blocks.listing(tenant);
        for (UUID id : listing.replaced()) {
            blocks.markCompacted(tenant, id, now);
            log.info("event=compaction_finished_marking tenant={} block={}", tenant, id);
        }
        List<BlockMeta> visible = new ArrayList<>(listing.visible());
        Duration retention = retention(tenant);
        if (!retention.isZero() && ownership.owns(tenant, "retention")) {
            long cutoff = (now - retention.toMillis()) * 1_000_000L;
            for (BlockMeta m : List.copyOf(visible)) {
                if (m.endTimeUnixNano() < cutoff) {
                    blocks.markCompacted(tenant, m.blockId(), now);
                    blocksExpired.increment();
                    visible.remove(m);
                    log.info("event=block_expired tenant={} block={} end={}", tenant, m.blockId(), m.endTimeUnixNano());
                }
            }
        }
        for (List<BlockMeta> job : plan(tenant, visible)) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                compact(tenant, job);
            } catch (IOException | RuntimeException e) {
                failures.increment();
                log.warn("event=compaction_failed tenant={} inputs={} error=\"{}\"", tenant, ids(job), e.toString());
                quarantineUnreadable(tenant, job);
            }
        }
        long grace = config.compactedBlockRetention().toMillis();
        for (Map.Entry<UUID, Long> e : listing.compacted().entrySet()) {
            if (now - e.getValue() >= grace) {
                blocks.deleteBlock(tenant, e.getKey());
                blocksDeleted.increment();
                log.info("event=block_deleted tenant={} block={}", tenant, e.getKey());
            }
        }
        // The tenant index: queriers read this one object per poll instead of listing the bucket.
        TenantIndex.write(blocks.objectStore(), tenant, blocks.listing(tenant), clock.millis());
    }

    /**
     * After a failed job, reads each input through; one that cannot be read (corrupt or truncated
     * object) is left out of compaction from then on, so it does not fail every cycle and hold its
     * window's other blocks back. Queries keep skipping it as they do any unreadable block; it is
     * still deleted by retention.
     */
    private void quarantineUnreadable(String tenant, List<BlockMeta> job) {
        for (BlockMeta m : job) {
            try (BlockReader reader = BlockReader.open(blocks.objectStore(), m)) {
                for (Iterator<TraceEntry> it = reader.traces(); it.hasNext(); ) {
                    it.next();
                }
            } catch (IOException | RuntimeException e) {
                if (quarantined.add(m.blockId())) {
                    log.warn("event=block_quarantined tenant={} block={} error=\"{}\" action=\"left out of compaction; needs attention\"",
                            tenant, m.blockId(), e.toString());
                }
            }
        }
    }

    /** The tenant's retention: its override when set, else {@code block_retention}. */
    Duration retention(String tenant) {
        Duration own = overrides.forTenant(tenant).compaction().blockRetention();
        return own.isZero() ? config.blockRetention() : own;
    }

    /**
     * The compaction jobs of a tenant: blocks grouped by the window their end falls in; within a
     * window, lowest compaction level first, then oldest, cut into jobs of at most {@code
     * max_input_blocks} within the size limits. Blocks of different levels are merged together, so
     * that a trace whose last spans arrived after its window was compacted still ends up in one
     * block; the window bounds how much one merge rewrites.
     */
    List<List<BlockMeta>> plan(String tenant, List<BlockMeta> visible) {
        long window = config.compactionWindow().toNanos();
        Map<Long, List<BlockMeta>> groups = new TreeMap<>();
        for (BlockMeta m : visible) {
            if (quarantined.contains(m.blockId())) {
                continue;
            }
            groups.computeIfAbsent(Math.floorDiv(m.endTimeUnixNano(), window), k -> new ArrayList<>()).add(m);
        }
        List<List<BlockMeta>> jobs = new ArrayList<>();
        for (Map.Entry<Long, List<BlockMeta>> g : groups.entrySet()) {
            if (!ownership.owns(tenant, "window-" + g.getKey())) {
                continue;
            }
            List<BlockMeta> candidates = new ArrayList<>(g.getValue());
            candidates.sort(Comparator.comparingInt(BlockMeta::compactionLevel).thenComparingLong(BlockMeta::endTimeUnixNano)
                    .thenComparing(BlockMeta::blockId));
            List<BlockMeta> job = new ArrayList<>();
            long bytes = 0;
            long traces = 0;
            for (BlockMeta m : candidates) {
                boolean fits = job.size() < config.maxInputBlocks() && bytes + m.size() <= config.maxBlockBytes()
                        && traces + m.totalTraces() <= config.maxCompactionObjects();
                if (!fits) {
                    if (job.size() >= config.minInputBlocks()) {
                        jobs.add(job);
                    }
                    job = new ArrayList<>();
                    bytes = 0;
                    traces = 0;
                }
                job.add(m);
                bytes += m.size();
                traces += m.totalTraces();
            }
            if (job.size() >= config.minInputBlocks()) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    /** Merges {@code inputs} into one block of the next level, then marks them compacted. */
    void compact(String tenant, List<BlockMeta> inputs) throws IOException {
        long t0 = System.nanoTime();
        UUID output = UUID.randomUUID();
        int level = inputs.stream().mapToInt(BlockMeta::compactionLevel).max().orElse(0) + 1;
        long inputBytes = inputs.stream().mapToLong(BlockMeta::size).sum();
        long inputSpans = inputs.stream().mapToLong(BlockMeta::totalSpans).sum();
        log.info("event=compaction_started tenant={} output={} level={} inputs={} spans={} bytes={}", tenant, output, level,
                ids(inputs), inputSpans, inputBytes);
        List<Iterator<TraceEntry>> sources = new ArrayList<>();
        for (BlockMeta m : inputs) {
            BlockReader reader = blocks.reader(m);
            sources.add(reader.traces());
        }
        MergingIterator merged = new MergingIterator(sources);
        blocks.writeReplaces(tenant, output, inputs.stream().map(BlockMeta::blockId).toList());
        BlockMeta written = new BlockWriter(blocks.objectStore(), writerConfig).write(tenant, output, level, merged);
        long now = clock.millis();
        for (BlockMeta m : inputs) {
            blocks.markCompacted(tenant, m.blockId(), now);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        blocksCompacted.increment(inputs.size());
        blocksWritten.increment();
        spansRead.increment(merged.inputSpans());
        spansWritten.increment(merged.outputSpans());
        bytesWritten.increment(written.size());
        jobDuration.record(Duration.ofNanos(System.nanoTime() - t0));
        log.info("event=compaction_done tenant={} output={} level={} inputs={} spans_in={} spans_out={} bytes_in={} bytes_out={}"
                + " seconds={} spans_per_second={} mb_per_second={}", tenant, output, level, inputs.size(), merged.inputSpans(),
                merged.outputSpans(), inputBytes, written.size(), String.format("%.2f", seconds),
                Math.round(merged.inputSpans() / Math.max(seconds, 1e-9)),
                String.format("%.1f", inputBytes / 1e6 / Math.max(seconds, 1e-9)));
    }

    private static List<UUID> ids(List<BlockMeta> metas) {
        return metas.stream().map(BlockMeta::blockId).toList();
    }
}
