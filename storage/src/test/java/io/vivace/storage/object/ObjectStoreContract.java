package io.vivace.storage.object;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link ObjectStore} keeps, as documented on the interface. Each
 * implementation's test extends this class and supplies a fresh, empty store.
 */
public abstract class ObjectStoreContract {
    protected ObjectStore store;

    /** A fresh, empty store. */
    protected abstract ObjectStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void readsBackWhatWasWritten() throws Exception {
        store.write("t/b/data", bytes("hello"));
        assertThat(store.read("t/b/data")).isEqualTo(bytes("hello"));
        assertThat(store.size("t/b/data")).isEqualTo(5);
    }

    @Test
    void emptyObjectsExist() throws Exception {
        store.write("t/empty", new byte[0]);
        assertThat(store.read("t/empty")).isEmpty();
        assertThat(store.size("t/empty")).isZero();
        assertThat(store.list("t/")).containsExactly("t/empty");
    }

    @Test
    void missingKeysThrowObjectNotFound() {
        assertThatThrownBy(() -> store.read("nope/x")).isInstanceOf(ObjectNotFoundException.class).hasMessageContaining("nope/x");
        assertThatThrownBy(() -> store.readRange("nope/x", 0, 1)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.size("nope/x")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void aDirectoryIsNotAnObject() throws Exception {
        store.write("t/b/data", bytes("x"));
        assertThatThrownBy(() -> store.read("t/b")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void writeReplacesTheWholeObject() throws Exception {
        store.write("k", bytes("a much longer first version"));
        store.write("k", bytes("short"));
        assertThat(store.read("k")).isEqualTo(bytes("short"));
        assertThat(store.list("")).containsExactly("k");
    }

    @Test
    void storedBytesDoNotChangeWithTheCallersArray() throws Exception {
        byte[] data = bytes("abc");
        store.write("k", data);
        data[0] = 'z';
        byte[] read = store.read("k");
        read[1] = 'z';
        assertThat(store.read("k")).isEqualTo(bytes("abc"));
    }

    @Test
    void readRangeReturnsExactlyTheRange() throws Exception {
        store.write("k", bytes("0123456789"));
        assertThat(store.readRange("k", 0, 3)).isEqualTo(bytes("012"));
        assertThat(store.readRange("k", 7, 3)).isEqualTo(bytes("789"));
        assertThat(store.readRange("k", 10, 0)).isEmpty();
    }

    @Test
    void readRangePastTheEndFails() throws Exception {
        store.write("k", bytes("0123456789"));
        assertThatThrownBy(() -> store.readRange("k", 8, 3)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> store.readRange("k", 11, 0)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> store.readRange("k", -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.readRange("k", 0, -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listIsSortedInUtf8ByteOrderAndFiltersByPrefix() throws Exception {
        // U+FF5E sorts before U+1F600 in UTF-8 (and code point) order, but after it in UTF-16 order.
        List<String> keys = List.of("b/2", "a/1", "a/10", "a/2", "a-x", "ab", "a/\uFF5E", "a/\uD83D\uDE00", "c");
        for (String k : keys) {
            store.write(k, bytes(k));
        }
        assertThat(store.list("")).containsExactly("a-x", "a/1", "a/10", "a/2", "a/\uFF5E", "a/\uD83D\uDE00", "ab", "b/2", "c");
        assertThat(store.list("a/")).containsExactly("a/1", "a/10", "a/2", "a/\uFF5E", "a/\uD83D\uDE00");
        assertThat(store.list("a/1")).containsExactly("a/1", "a/10");
        assertThat(store.list("a")).containsExactly("a-x", "a/1", "a/10", "a/2", "a/\uFF5E", "a/\uD83D\uDE00", "ab");
        assertThat(store.list("zzz")).isEmpty();
        assertThat(store.list("zzz/")).isEmpty();
    }

    @Test
    void listChildrenReturnsDistinctSortedDirectories() throws Exception {
        store.write("t1/b2/meta.json", bytes("m"));
        store.write("t1/b1/data", bytes("d"));
        store.write("t1/b1/meta.json", bytes("m"));
        store.write("t1/index.json.gz", bytes("i"));
        store.write("t2/b9/data", bytes("d"));
        store.write("top", bytes("t"));
        assertThat(store.listChildren("")).containsExactly("t1", "t2");
        assertThat(store.listChildren("t1/")).containsExactly("b1", "b2");
        assertThat(store.listChildren("t1/b1/")).isEmpty();
        assertThat(store.listChildren("missing/")).isEmpty();
        assertThatThrownBy(() -> store.listChildren("t1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesAndMissingIsANoOp() throws Exception {
        store.write("t/b/data", bytes("d"));
        store.write("t/c/data", bytes("d"));
        store.delete("t/b/data");
        store.delete("t/b/data");
        store.delete("never/was");
        assertThatThrownBy(() -> store.read("t/b/data")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.list("")).containsExactly("t/c/data");
        assertThat(store.listChildren("t/")).containsExactly("c");
        store.delete("t/c/data");
        assertThat(store.listChildren("")).isEmpty();
        store.write("t/c/data", bytes("again"));
        assertThat(store.read("t/c/data")).isEqualTo(bytes("again"));
    }

    @Test
    void invalidKeysAreRejected() {
        for (String bad : new String[] {"", "/abs", "a//b", "a/", "a/../b", ".", "a/./b"}) {
            assertThatThrownBy(() -> store.write(bad, new byte[1])).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void concurrentWritersOfDifferentKeysAllSucceed() throws Exception {
        int threads = 4;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String key = "tenant/block-" + (i % 5) + "/obj-" + thread + "-" + i;
                        store.write(key, bytes(key));
                        // Deleting and re-creating shared directories races with the other writers.
                        if (i % 7 == 0) {
                            store.delete(key);
                            store.write(key, bytes(key));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> keys = store.list("tenant/");
        assertThat(keys).hasSize(threads * perThread).isSortedAccordingTo(ObjectKeys.UTF8_ORDER);
        for (String k : keys) {
            assertThat(store.read(k)).isEqualTo(bytes(k));
        }
        assertThat(store.listChildren("tenant/")).containsExactly("block-0", "block-1", "block-2", "block-3", "block-4");
    }
}
