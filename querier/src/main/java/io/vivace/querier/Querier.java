package io.vivace.querier;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.query.TraceLookup;
import io.vivace.common.query.TraceResult;
import io.vivace.model.TraceId;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import io.vivace.storage.block.BlockSearcher;
import io.vivace.storage.block.BlockStore;
import io.vivace.traceql.engine.RecentSearch;
import io.vivace.traceql.engine.SearchBackend;
import io.vivace.traceql.engine.SearchJob;
import io.vivace.storage.block.TraceEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds traces in the ingesters' recent data and in the stored blocks whose bloom filters may hold
 * the ID (the pieces; the frontend combines them), and plans search jobs over the same data.
 */
public final class Querier implements TraceLookup, SearchBackend {
    /** Without a time range a search reads recent data: the ingesters and blocks ended this recently. */
    static final long RECENT_BLOCKS_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(15);

    private static final Logger log = LoggerFactory.getLogger(Querier.class);

    /** Which sources a lookup reads, as Tempo's {@code mode} parameter. */
    public enum Mode { ALL, INGESTERS, BLOCKS }

    private final BlockStore blocks;
    private final BlockList blockList;
    private final List<TraceLookup> ingesters;
    private final List<RecentSearch> recent;
    private final Counter blockReadFailures;

    /**
     * Creates a querier over {@code blocks} (listed by {@code blockList}) and the ingesters' recent
     * data ({@code ingesters} for lookups, {@code recent} for search).
     */
    public Querier(BlockStore blocks, BlockList blockList, List<TraceLookup> ingesters, List<RecentSearch> recent,
            MeterRegistry registry) {
        this.blockReadFailures = Counter.builder("vivace_querier_block_read_failures_total")
                .description("Block reads that failed; the block was skipped").register(registry);
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.blockList = Objects.requireNonNull(blockList, "blockList");
        this.ingesters = List.copyOf(ingesters);
        this.recent = List.copyOf(recent);
    }

    /**
     * The search jobs of a tenant: one per ingester (recent data), then one per block overlapping the
     * range, or per shard of about {@code targetBytesPerJob} for a larger block. Without blocks
     * ({@code blocks == false}, a search without time range) only blocks that ended in the last 15
     * minutes are read, as Tempo's ingesters keep serving their recently flushed blocks.
     */
    @Override
    public List<SearchJob> jobs(String tenant, long startNanos, long endNanos, boolean blocks, long targetBytesPerJob) {
        List<SearchJob> jobs = new ArrayList<>();
        for (RecentSearch r : recent) {
            jobs.add(new SearchJob(tenant, null, 0, 0, 0, r.recentTraces(tenant)));
        }
        long recentFrom = System.currentTimeMillis() * 1_000_000L - RECENT_BLOCKS_NANOS;
        for (BlockMeta meta : blockList.blocks(tenant)) {
            if ((endNanos != 0 && meta.startTimeUnixNano() > endNanos) || (startNanos != 0 && meta.endTimeUnixNano() < startNanos)) {
                continue;
            }
            if (!blocks && meta.endTimeUnixNano() < recentFrom) {
                continue;
            }
            BlockSearcher searcher = new BlockSearcher(this.blocks.reader(meta));
            String id = meta.blockId().toString();
            if (meta.size() <= targetBytesPerJob) {
                jobs.add(new SearchJob(tenant, id, meta.size(), meta.startTimeUnixNano(), meta.endTimeUnixNano(), searcher));
                continue;
            }
            try {
                for (BlockSearcher.Shard shard : searcher.shards(targetBytesPerJob)) {
                    jobs.add(new SearchJob(tenant, id + "#" + shard.firstBatch() + "-" + shard.endBatch(), shard.bytes(),
                            shard.startNanos(), shard.endNanos(), searcher.shard(shard)));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("event=block_read_failed tenant={} block={} error=\"{}\"", tenant, meta.blockId(), e.toString());
                blockReadFailures.increment();
            }
        }
        return jobs;
    }

    @Override
    public TraceResult find(String tenant, TraceId id, long startSeconds, long endSeconds) {
        return find(tenant, id, startSeconds, endSeconds, Mode.ALL);
    }

    /** As {@link #find(String, TraceId, long, long)}, reading only the sources of {@code mode}. */
    public TraceResult find(String tenant, TraceId id, long startSeconds, long endSeconds, Mode mode) {
        List<ResourceSpans> pieces = new ArrayList<>();
        long inspected = 0;
        int blocksRead = 0;
        if (mode != Mode.BLOCKS) {
            for (TraceLookup ingester : ingesters) {
                TraceResult r = ingester.find(tenant, id, startSeconds, endSeconds);
                pieces.addAll(r.resourceSpans());
                inspected += r.inspectedBytes();
                blocksRead += r.blocksSearched();
            }
        }
        if (mode != Mode.INGESTERS) {
            long startNanos = startSeconds > 0 ? startSeconds * 1_000_000_000L : Long.MIN_VALUE;
            long endNanos = endSeconds > 0 ? endSeconds * 1_000_000_000L : Long.MAX_VALUE;
            for (BlockMeta meta : blockList.blocks(tenant)) {
                if (meta.endTimeUnixNano() < startNanos || meta.startTimeUnixNano() > endNanos) {
                    continue;
                }
                BlockReader reader = blocks.reader(meta);
                long before = reader.bytesRead();
                try {
                    if (!reader.mayContain(id)) {
                        continue;
                    }
                    blocksRead++;
                    Optional<TraceEntry> found = reader.findTrace(id);
                    found.ifPresent(e -> pieces.addAll(e.resourceSpans()));
                } catch (IOException | RuntimeException e) {
                    // One unreadable block must not take trace lookups down with it: report and go on.
                    log.warn("event=block_read_failed tenant={} block={} error=\"{}\"", tenant, meta.blockId(), e.toString());
                    blockReadFailures.increment();
                } finally {
                    inspected += reader.bytesRead() - before;
                }
            }
        }
        return new TraceResult(pieces, inspected, blocksRead);
    }
}
