package io.vivace.querier;

import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.lifecycle.AbstractService;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockStore;
import io.vivace.storage.block.TenantIndex;
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
    private final io.micrometer.core.instrument.Counter indexPolls;
    private final io.micrometer.core.instrument.Counter listingPolls;

    /**
     * A tenant index older than this is not trusted (its compactor has stopped): the bucket is
     * listed instead. The compactor rewrites it every cycle (30 s by default).
     */
    static final long STALE_INDEX_MILLIS = TimeUnit.MINUTES.toMillis(5);
    /** The first poll lists the bucket: it learns the blocks written after the last index. */
    private volatile boolean firstPollDone;

    /** Creates a block list polling {@code store} every {@code pollPeriod}. */
    public BlockList(BlockStore store, Duration pollPeriod, MeterRegistry registry) {
        super("blocklist");
        this.store = store;
        this.pollPeriod = pollPeriod;
        registry.gauge("vivace_blocklist_blocks", byTenant, m -> m.values().stream().mapToInt(List::size).sum());
        this.indexPolls = io.micrometer.core.instrument.Counter.builder("vivace_blocklist_polls_total").tag("source", "tenant_index")
                .description("Block list polls per tenant, by where the list came from").register(registry);
        this.listingPolls = io.micrometer.core.instrument.Counter.builder("vivace_blocklist_polls_total").tag("source", "listing")
                .description("Block list polls per tenant, by where the list came from").register(registry);
        registry.gauge("vivace_blockstore_meta_cache_hits", store, s -> s.cacheStats().metaHits());
        registry.gauge("vivace_blockstore_meta_cache_misses", store, s -> s.cacheStats().metaMisses());
        registry.gauge("vivace_blockstore_reader_cache_hits", store, s -> s.cacheStats().readerHits());
        registry.gauge("vivace_blockstore_reader_cache_misses", store, s -> s.cacheStats().readerMisses());
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
            long now = System.currentTimeMillis();
            for (String tenant : store.tenants()) {
                java.util.Optional<TenantIndex.Snapshot> index = firstPollDone
                        ? TenantIndex.read(store.objectStore(), tenant) : java.util.Optional.empty();
                if (index.isPresent() && now - index.get().createdAtUnixMillis() <= STALE_INDEX_MILLIS) {
                    TenantIndex.Snapshot snapshot = index.get();
                    List<BlockMeta> list = new java.util.ArrayList<>(snapshot.blocks());
                    // Blocks written after the index (the previous poll saw them) stay until it knows them.
                    for (BlockMeta known : byTenant.getOrDefault(tenant, List.of())) {
                        if (!snapshot.knows(known.blockId())) {
                            list.add(known);
                        }
                    }
                    fresh.put(tenant, list);
                    indexPolls.increment();
                } else {
                    fresh.put(tenant, new java.util.ArrayList<>(store.blocks(tenant)));
                    listingPolls.increment();
                }
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
            firstPollDone = true;
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
