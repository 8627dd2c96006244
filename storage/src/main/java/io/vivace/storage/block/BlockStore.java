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
        this.readers = Caffeine.newBuilder().maximumSize(maxCachedReaders).build();
    }

    /** The underlying object store. */
    public ObjectStore objectStore() {
        return store;
    }

    /** Tenants that have at least one object. */
    public List<String> tenants() throws IOException {
        return store.listChildren("");
    }

    /** Metas of the tenant's complete blocks. A block whose meta cannot be read is logged and skipped. */
    public List<BlockMeta> blocks(String tenant) throws IOException {
        Objects.requireNonNull(tenant, "tenant");
        List<BlockMeta> out = new ArrayList<>();
        for (String child : store.listChildren(tenant + "/")) {
            UUID id;
            try {
                id = UUID.fromString(child);
            } catch (IllegalArgumentException e) {
                continue; // not a block directory (for instance a future per-tenant index)
            }
            String key = tenant + "/" + child + "/meta.json";
            byte[] json;
            try {
                json = store.read(key);
            } catch (ObjectNotFoundException e) {
                continue; // still being written, or a crash left it incomplete: invisible by design
            }
            try {
                BlockMeta meta = BlockMetaJson.fromJson(json);
                if (!meta.blockId().equals(id) || !meta.tenant().equals(tenant)) {
                    log.warn("Skipping block {}: its meta.json names tenant {} and block {}", key, meta.tenant(), meta.blockId());
                    continue;
                }
                out.add(meta);
            } catch (IOException e) {
                log.warn("Skipping block {}: {}", key, e.getMessage());
            }
        }
        return out;
    }

    /** A reader for {@code meta}, cached. */
    public BlockReader reader(BlockMeta meta) {
        Objects.requireNonNull(meta, "meta");
        return readers.get(meta.blockId(), id -> BlockReader.open(store, meta));
    }

    /**
     * Drops the cached reader of {@code blockId} (for instance after the block was deleted). The
     * reader is not closed: a query may still hold it, and it owns no off-heap memory.
     */
    public void evict(UUID blockId) {
        readers.invalidate(blockId);
    }
}
