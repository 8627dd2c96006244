package io.vivace.querier;

import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.lifecycle.AbstractService;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks of every tenant, polled from the block store in the background. Readers use the last
 * polled list; a block flushed after the last poll is served by the ingester that flushed it until
 * the list has it.
 */
public final class BlockList extends AbstractService {
    private static final Logger log = LoggerFactory.getLogger(BlockList.class);

    private final BlockStore store;
    private final Duration pollPeriod;
    private final Map<String, List<BlockMeta>> byTenant = new ConcurrentHashMap<>();
    /** Blocks handed over by {@link #add} that no listing has shown yet; every poll keeps them. */
    private final Map<java.util.UUID, BlockMeta> added = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;

    /** Creates a block list polling {@code store} every {@code pollPeriod}. */
    public BlockList(BlockStore store, Duration pollPeriod, MeterRegistry registry) {
        super("blocklist");
        this.store = store;
        this.pollPeriod = pollPeriod;
        registry.gauge("vivace_blocklist_blocks", byTenant, m -> m.values().stream().mapToInt(List::size).sum());
    }

    /** The tenant's blocks as of the last poll. */
    public List<BlockMeta> blocks(String tenant) {
        return byTenant.getOrDefault(tenant, List.of());
    }

    /**
     * Adds a block written just now (by an ingester in the same process), visible to lookups at once
     * rather than after the next poll.
     */
    public void add(BlockMeta meta) {
        added.put(meta.blockId(), meta);
        byTenant.compute(meta.tenant(), (t, list) -> {
            List<BlockMeta> out = new java.util.ArrayList<>(list == null ? List.of() : list);
            if (out.stream().noneMatch(m -> m.blockId().equals(meta.blockId()))) {
                out.add(meta);
            }
            return List.copyOf(out);
        });
    }

    /** Polls now; also called by tests to see a block without waiting for the period. */
    public synchronized void poll() {
        try {
            Map<String, List<BlockMeta>> fresh = new java.util.HashMap<>();
            for (String tenant : store.tenants()) {
                fresh.put(tenant, new java.util.ArrayList<>(store.blocks(tenant)));
            }
            // A block added while the listing ran may be missing from it: keep every added block until
            // a listing shows it, so handing a block over never opens a gap.
            for (BlockMeta meta : added.values()) {
                List<BlockMeta> list = fresh.computeIfAbsent(meta.tenant(), t -> new java.util.ArrayList<>());
                if (list.stream().anyMatch(m -> m.blockId().equals(meta.blockId()))) {
                    added.remove(meta.blockId());
                } else {
                    list.add(meta);
                }
            }
            fresh.replaceAll((t, list) -> List.copyOf(list));
            byTenant.keySet().retainAll(fresh.keySet());
            byTenant.putAll(fresh);
        } catch (Exception e) {
            log.warn("event=blocklist_poll_failed error=\"{}\"", e.toString());
        }
    }

    @Override
    protected void doStart() {
        poll();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "blocklist-poller");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, pollPeriod.toMillis());
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop(Duration timeout) throws InterruptedException {
        if (poller != null) {
            poller.shutdownNow();
            poller.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
