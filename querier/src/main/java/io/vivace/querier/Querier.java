package io.vivace.querier;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.query.TraceLookup;
import io.vivace.common.query.TraceResult;
import io.vivace.model.TraceId;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import io.vivace.storage.block.BlockStore;
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
 * the ID. Returns the pieces; the frontend combines them.
 */
public final class Querier implements TraceLookup {
    private static final Logger log = LoggerFactory.getLogger(Querier.class);

    /** Which sources a lookup reads, as Tempo's {@code mode} parameter. */
    public enum Mode { ALL, INGESTERS, BLOCKS }

    private final BlockStore blocks;
    private final BlockList blockList;
    private final List<TraceLookup> ingesters;
    private final Counter blockReadFailures;

    /** Creates a querier over {@code blocks} (listed by {@code blockList}) and {@code ingesters}. */
    public Querier(BlockStore blocks, BlockList blockList, List<TraceLookup> ingesters, MeterRegistry registry) {
        this.blockReadFailures = Counter.builder("vivace_querier_block_read_failures_total")
                .description("Block reads that failed; the block was skipped").register(registry);
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.blockList = Objects.requireNonNull(blockList, "blockList");
        this.ingesters = List.copyOf(ingesters);
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
