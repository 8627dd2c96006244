package io.vivace.storage.object;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ObjectStore} decorator that keeps what readers fetch repeatedly from a remote store —
 * block metas, bloom shards, block indexes and record-batch ranges of {@code data} — in a
 * size-bounded Caffeine cache. Only objects that never change once written are cached (the block
 * objects named in {@link #IMMUTABLE} and {@code bloom-N}); markers and the tenant index, which are
 * rewritten, always go to the store. Writes and deletes of a key drop its cached entries.
 */
public final class CachingObjectStore extends ForwardingObjectStore {
    /** Names of block objects that are immutable once written. */
    public static final Set<String> IMMUTABLE = Set.of("data", "index", "meta.json", "replaces.json");

    private record Key(String key, long offset, int length) {}

    private final Cache<Key, byte[]> cache;
    /**
     * Object keys that may have cache entries: a write or delete scans the cache only for them, so
     * writing a new block (never read yet) costs nothing here.
     */
    private final Set<String> cachedKeys = ConcurrentHashMap.newKeySet();

    /**
     * @param store the store behind the cache
     * @param maxBytes largest total size of cached bytes
     */
    public CachingObjectStore(ObjectStore store, long maxBytes) {
        super(store);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        this.cache = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((Key k, byte[] v) -> v.length + k.key().length() * 2 + 48)
                .recordStats().build();
    }

    /** Whether reads of {@code key} may be cached. */
    static boolean cacheable(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return IMMUTABLE.contains(name) || name.startsWith("bloom-");
    }

    @Override
    public byte[] read(String key) throws IOException {
        if (!cacheable(key)) {
            return delegate.read(key);
        }
        Key k = new Key(key, -1, -1);
        byte[] hit = cache.getIfPresent(k);
        if (hit != null) {
            return hit.clone();
        }
        byte[] data = delegate.read(key);
        cachedKeys.add(key);
        cache.put(k, data.clone());
        return data;
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        if (!cacheable(key)) {
            return delegate.readRange(key, offset, length);
        }
        Key k = new Key(key, offset, length);
        byte[] hit = cache.getIfPresent(k);
        if (hit != null) {
            return hit.clone();
        }
        byte[] data = delegate.readRange(key, offset, length);
        cachedKeys.add(key);
        cache.put(k, data.clone());
        return data;
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        invalidate(key);
        delegate.write(key, data);
        invalidate(key);
    }

    @Override
    public void delete(String key) throws IOException {
        invalidate(key);
        delegate.delete(key);
    }

    private void invalidate(String key) {
        if (cachedKeys.remove(key)) {
            cache.asMap().keySet().removeIf(k -> k.key().equals(key));
        }
    }

    /** Cache hits so far. */
    public long hits() {
        return cache.stats().hitCount();
    }

    /** Cache misses so far. */
    public long misses() {
        return cache.stats().missCount();
    }

    /** Bytes held now (approximately). */
    public long weightedSize() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    @Override
    public void close() throws IOException {
        cache.invalidateAll();
        cachedKeys.clear();
        delegate.close();
    }

    @Override
    public String toString() {
        return "CachingObjectStore[" + delegate + "]";
    }
}
