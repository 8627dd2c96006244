package io.vivace.storage.block;

import io.vivace.storage.object.ObjectStore;
import java.io.IOException;
import java.util.List;

/**
 * Blocks over an {@link ObjectStore}: lists tenants and the complete blocks of a tenant (those with
 * a {@code meta.json}), and opens readers, keeping them cached.
 */
public final class BlockStore {
    private final ObjectStore store;

    /** Creates a block store. */
    public BlockStore(ObjectStore store) {
        this.store = store;
    }

    /** The underlying object store. */
    public ObjectStore objectStore() {
        return store;
    }

    /** Tenants that have at least one object. */
    public List<String> tenants() throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Metas of the tenant's complete blocks. A block whose meta cannot be read is logged and skipped. */
    public List<BlockMeta> blocks(String tenant) throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A reader for {@code meta}, cached. */
    public BlockReader reader(BlockMeta meta) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
