package io.vivace.storage.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache keeps the object-store contract and saves repeated reads of immutable block objects. */
class CachingObjectStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return new CachingObjectStore(new InMemoryObjectStore(), 1 << 20);
    }

    /** Counts reads reaching the store behind the cache. */
    private static final class Counting extends ForwardingObjectStore {
        final AtomicInteger reads = new AtomicInteger();

        Counting(ObjectStore store) {
            super(store);
        }

        @Override
        public byte[] read(String key) throws java.io.IOException {
            reads.incrementAndGet();
            return super.read(key);
        }

        @Override
        public byte[] readRange(String key, long offset, int length) throws java.io.IOException {
            reads.incrementAndGet();
            return super.readRange(key, offset, length);
        }
    }

    @Test
    void repeatedReadsOfBlockObjectsHitTheCacheAndMarkersAlwaysGoToTheStore() throws Exception {
        Counting behind = new Counting(new InMemoryObjectStore());
        CachingObjectStore cache = new CachingObjectStore(behind, 1 << 20);
        cache.write("t/b/data", new byte[] {1, 2, 3, 4, 5});
        cache.write("t/b/bloom-0", new byte[] {9});
        cache.write("t/b/compacted.json", "{}".getBytes());
        for (int i = 0; i < 3; i++) {
            assertThat(cache.readRange("t/b/data", 1, 3)).containsExactly(2, 3, 4);
            assertThat(cache.read("t/b/bloom-0")).containsExactly(9);
            assertThat(cache.read("t/b/compacted.json")).hasSize(2);
        }
        assertThat(behind.reads.get()).as("one read each for data and bloom, three for the marker").isEqualTo(5);
        assertThat(cache.hits()).isEqualTo(4);

        // A returned array is a copy: changing it does not change the cache.
        cache.readRange("t/b/data", 1, 3)[0] = 42;
        assertThat(cache.readRange("t/b/data", 1, 3)).containsExactly(2, 3, 4);

        // Deleting drops the cached copy.
        cache.delete("t/b/data");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.readRange("t/b/data", 1, 3))
                .isInstanceOf(ObjectNotFoundException.class);
    }
}
