package io.vivace.storage.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() throws Exception {
        return new LocalObjectStore(dir.resolve("store"));
    }

    @Test
    void keysMapToFilesUnderTheRoot() throws Exception {
        store.write("t/b/meta.json", new byte[] {1, 2});
        assertThat(Files.readAllBytes(dir.resolve("store/t/b/meta.json"))).containsExactly(1, 2);
    }

    @Test
    void leftoverTemporaryFilesNeverAppearInListings() throws Exception {
        store.write("t/b/data", new byte[] {1});
        // What a crash between creating and renaming the temporary file leaves behind.
        Files.write(dir.resolve("store/t/b/meta.json" + ObjectKeys.TEMP_MARKER + "1234"), new byte[] {9});
        Files.createDirectories(dir.resolve("store/t/c"));
        Files.write(dir.resolve("store/t/c/meta.json" + ObjectKeys.TEMP_MARKER + "99"), new byte[] {9});
        assertThat(store.list("")).containsExactly("t/b/data");
        assertThat(store.listChildren("t/")).containsExactly("b");
    }

    @Test
    void aNewStoreSeesObjectsWrittenBefore() throws Exception {
        store.write("t/b/data", new byte[] {7});
        try (LocalObjectStore reopened = new LocalObjectStore(dir.resolve("store"))) {
            assertThat(reopened.read("t/b/data")).containsExactly(7);
        }
    }
}
