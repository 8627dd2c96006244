package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.vivace.storage.object.LocalObjectStore;
import io.vivace.storage.object.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockStoreTest {
    @TempDir
    Path dir;

    private ObjectStore store;
    private BlockWriter writer;
    private List<TraceEntry> traces;

    @BeforeEach
    void setUp() throws Exception {
        store = new LocalObjectStore(dir);
        writer = new BlockWriter(store, new BlockWriterConfig(64, 0.01, 1024));
        traces = new TestTraces(5).traces(20);
    }

    @Test
    void listsTenantsAndCompleteBlocks() throws Exception {
        BlockMeta a = writer.write("tenant-a", UUID.randomUUID(), 0, traces.iterator());
        BlockMeta b = writer.write("tenant-a", UUID.randomUUID(), 1, traces.iterator());
        BlockMeta c = writer.write("tenant-b", UUID.randomUUID(), 0, traces.iterator());
        BlockStore blocks = new BlockStore(store);
        assertThat(blocks.tenants()).containsExactly("tenant-a", "tenant-b");
        assertThat(blocks.blocks("tenant-a")).containsExactlyInAnyOrder(a, b);
        assertThat(blocks.blocks("tenant-b")).containsExactly(c);
        assertThat(blocks.blocks("nobody")).isEmpty();
    }

    @Test
    void aBlockWithoutMetaIsInvisible() throws Exception {
        BlockMeta meta = writer.write("t", UUID.randomUUID(), 0, traces.iterator());
        // A crash after data, index and blooms but before meta.json: simulate by removing meta.json.
        UUID crashed = UUID.randomUUID();
        for (String key : store.list("t/" + meta.blockId() + "/")) {
            if (!key.endsWith("/meta.json")) {
                store.write(key.replace(meta.blockId().toString(), crashed.toString()), store.read(key));
            }
        }
        assertThat(store.listChildren("t/")).hasSize(2);
        assertThat(new BlockStore(store).blocks("t")).containsExactly(meta);
    }

    @Test
    void aCorruptMetaIsSkipped() throws Exception {
        BlockMeta good = writer.write("t", UUID.randomUUID(), 0, traces.iterator());
        BlockMeta bad = writer.write("t", UUID.randomUUID(), 0, traces.iterator());
        store.write("t/" + bad.blockId() + "/meta.json", "{\"format\": \"vArrow1\", \"blockId\": tru".getBytes(StandardCharsets.UTF_8));
        BlockMeta moved = writer.write("t", UUID.randomUUID(), 0, traces.iterator());
        // A meta copied under another block's directory names the wrong block: skipped too.
        store.write("t/" + UUID.randomUUID() + "/meta.json", store.read("t/" + moved.blockId() + "/meta.json"));
        store.write("t/not-a-block/meta.json", store.read("t/" + good.blockId() + "/meta.json"));
        assertThat(new BlockStore(store).blocks("t")).containsExactlyInAnyOrder(good, moved);
    }

    @Test
    void readersAreCachedAndWork() throws Exception {
        BlockMeta meta = writer.write("t", UUID.randomUUID(), 0, traces.iterator());
        BlockStore blocks = new BlockStore(store, 10);
        BlockReader reader = blocks.reader(meta);
        assertThat(blocks.reader(meta)).isSameAs(reader);
        assertThat(reader.findTrace(traces.get(7).id())).isPresent();
        blocks.evict(meta.blockId());
        assertThat(blocks.reader(meta)).isNotSameAs(reader);
    }
}
