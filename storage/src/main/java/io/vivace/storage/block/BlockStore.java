package io.vivace.storage.block;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vivace.storage.object.ObjectNotFoundException;
import io.vivace.storage.object.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocks over an {@link ObjectStore}: lists tenants and the complete blocks of a tenant (those with
 * a {@code meta.json}), and opens readers, keeping them cached.
 *
 * <p>Cached readers keep their index and bloom shards on the heap (no Arrow memory between calls),
 * so evicting one needs no coordination with threads still using it.
 */
public final class BlockStore {
    private static final Logger log = LoggerFactory.getLogger(BlockStore.class);
    /** Readers kept by default; each holds its block's index and the bloom shards it has read. */
    public static final int DEFAULT_MAX_CACHED_READERS = 1024;

    private final ObjectStore store;
    private final Cache<UUID, BlockReader> readers;
    /** Parsed metas by block ID: a block never changes once visible, so each meta is read once. */
    private final Cache<UUID, BlockMeta> metas = Caffeine.newBuilder().maximumSize(200_000).recordStats().build();

    /** Creates a block store caching up to {@link #DEFAULT_MAX_CACHED_READERS} readers. */
    public BlockStore(ObjectStore store) {
        this(store, DEFAULT_MAX_CACHED_READERS);
    }

    /** Creates a block store caching up to {@code maxCachedReaders} readers. */
    public BlockStore(ObjectStore store, int maxCachedReaders) {
        this.store = Objects.requireNonNull(store, "store");
        if (maxCachedReaders < 0) {
            throw new IllegalArgumentException("maxCachedReaders: " + maxCachedReaders + " (expected: >= 0)");
        }
        this.readers = Caffeine.newBuilder().maximumSize(maxCachedReaders).recordStats().build();
    }

    /** The underlying object store. */
    public ObjectStore objectStore() {
        return store;
    }

    /** Tenants that have at least one object. */
    public List<String> tenants() throws IOException {
        return store.listChildren("");
    }

    /** Object written into a compaction's output block before its meta: the blocks it replaces. */
    public static final String REPLACES = "replaces.json";
    /** Marker object of a block that is compacted (or past retention) and waits for deletion. */
    public static final String COMPACTED = "compacted.json";

    private static final java.util.regex.Pattern MARKER_TIME = java.util.regex.Pattern.compile("\"compactedAtUnixMillis\"\\s*:\\s*(\\d+)");
    private static final java.util.regex.Pattern QUOTED_UUID = java.util.regex.Pattern.compile("\"([0-9a-fA-F-]{36})\"");

    /**
     * One tenant's blocks as the bucket holds them.
     *
     * @param visible metas of the blocks readers use: complete (meta written), not marked compacted,
     *     not replaced by a visible compaction output
     * @param replaced blocks that a visible compaction output replaces but that carry no marker yet
     *     (a compactor stopped between writing the output and marking its inputs)
     * @param compacted blocks marked compacted, with the marker's time (unix milliseconds)
     */
    public record Listing(List<BlockMeta> visible, java.util.Set<UUID> replaced, java.util.Map<UUID, Long> compacted) {}

    /** Metas of the tenant's visible blocks (see {@link Listing#visible}). */
    public List<BlockMeta> blocks(String tenant) throws IOException {
        return listing(tenant).visible();
    }

    /**
     * Lists the tenant's blocks with one listing of its keys, then reads each complete block's meta
     * (and, for compaction outputs, which blocks they replace). A block whose meta cannot be read is
     * logged and skipped. A compaction output hides its inputs from the moment its meta exists, so
     * readers switch from inputs to output atomically.
     */
    public Listing listing(String tenant) throws IOException {
        Objects.requireNonNull(tenant, "tenant");
        String prefix = tenant + "/";
        java.util.Map<UUID, java.util.Set<String>> objects = new java.util.TreeMap<>();
        for (String key : store.list(prefix)) {
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
                continue; // not a block object (for instance a future per-tenant index)
            }
            UUID id;
            try {
                id = UUID.fromString(rest.substring(0, slash));
            } catch (IllegalArgumentException e) {
                continue;
            }
            objects.computeIfAbsent(id, k -> new java.util.HashSet<>()).add(rest.substring(slash + 1));
        }
        List<BlockMeta> complete = new ArrayList<>();
        java.util.Set<UUID> replaced = new java.util.HashSet<>();
        java.util.Map<UUID, Long> compacted = new java.util.HashMap<>();
        for (java.util.Map.Entry<UUID, java.util.Set<String>> e : objects.entrySet()) {
            UUID id = e.getKey();
            java.util.Set<String> names = e.getValue();
            if (!names.contains("meta.json")) {
                continue; // still being written, or a crash left it incomplete: invisible by design
            }
            if (names.contains(COMPACTED)) {
                compacted.put(id, readMarkerTime(prefix + id + "/" + COMPACTED));
                continue;
            }
            String key = prefix + id + "/meta.json";
            try {
                BlockMeta meta = metas.getIfPresent(id);
                if (meta == null) {
                    meta = BlockMetaJson.fromJson(store.read(key));
                    metas.put(id, meta);
                }
                if (!meta.blockId().equals(id) || !meta.tenant().equals(tenant)) {
                    log.warn("Skipping block {}: its meta.json names tenant {} and block {}", key, meta.tenant(), meta.blockId());
                    continue;
                }
                if (names.contains(REPLACES)) {
                    replaced.addAll(readReplaces(prefix + id + "/" + REPLACES));
                }
                complete.add(meta);
            } catch (ObjectNotFoundException gone) {
                // Deleted between the listing and the read.
            } catch (IOException ex) {
                log.warn("Skipping block {}: {}", key, ex.getMessage());
            }
        }
        List<BlockMeta> visible = new ArrayList<>();
        for (BlockMeta m : complete) {
            if (!replaced.contains(m.blockId())) {
                visible.add(m);
            }
        }
        replaced.removeAll(compacted.keySet());
        replaced.retainAll(objects.keySet());
        return new Listing(visible, replaced, compacted);
    }

    /**
     * Writes the list of blocks a compaction output replaces; call before writing the output block
     * (whose meta, written last, makes both visible at once).
     */
    public void writeReplaces(String tenant, UUID output, List<UUID> inputs) throws IOException {
        StringBuilder json = new StringBuilder("{\"replaces\":[");
        for (int i = 0; i < inputs.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(inputs.get(i)).append('"');
        }
        json.append("]}");
        store.write(tenant + "/" + output + "/" + REPLACES, json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Marks a block compacted (hidden from readers; deleted after the grace period). */
    public void markCompacted(String tenant, UUID block, long nowMillis) throws IOException {
        store.write(tenant + "/" + block + "/" + COMPACTED,
                ("{\"compactedAtUnixMillis\":" + nowMillis + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Deletes every object of a block, meta first (so that a crash part-way leaves an invisible
     * block, never a visible broken one), and drops its cached reader.
     */
    public void deleteBlock(String tenant, UUID block) throws IOException {
        String prefix = tenant + "/" + block + "/";
        store.delete(prefix + "meta.json");
        for (String key : store.list(prefix)) {
            store.delete(key);
        }
        evict(block);
        metas.invalidate(block);
    }

    private long readMarkerTime(String key) {
        try {
            String json = new String(store.read(key), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = MARKER_TIME.matcher(json);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (IOException e) {
            return 0; // unreadable marker: treat as long ago, the block is deleted at the next cycle
        }
    }

    private List<UUID> readReplaces(String key) throws IOException {
        String json = new String(store.read(key), java.nio.charset.StandardCharsets.UTF_8);
        List<UUID> out = new ArrayList<>();
        java.util.regex.Matcher m = QUOTED_UUID.matcher(json);
        while (m.find()) {
            out.add(UUID.fromString(m.group(1)));
        }
        return out;
    }

    /** A reader for {@code meta}, cached. */
    public BlockReader reader(BlockMeta meta) {
        Objects.requireNonNull(meta, "meta");
        return readers.get(meta.blockId(), id -> BlockReader.open(store, meta));
    }

    /** Hits and misses of the meta and reader caches, for {@code /metrics}. */
    public record CacheStats(long metaHits, long metaMisses, long readerHits, long readerMisses) {}

    /** The caches' counters. */
    public CacheStats cacheStats() {
        var m = metas.stats();
        var r = readers.stats();
        return new CacheStats(m.hitCount(), m.missCount(), r.hitCount(), r.missCount());
    }

    /**
     * Drops the cached reader of {@code blockId} (for instance after the block was deleted). The
     * reader is not closed: a query may still hold it, and it owns no off-heap memory.
     */
    public void evict(UUID blockId) {
        readers.invalidate(blockId);
    }
}
