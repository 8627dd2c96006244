package io.vivace.storage.block;

import io.vivace.model.TraceId;
import io.vivace.storage.object.ObjectStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

/**
 * Reads one block. Opening it reads nothing but {@code meta}; the index, the bloom shards and the
 * Arrow schema are read on first use and kept.
 */
public final class BlockReader implements AutoCloseable {

    private BlockReader() {}

    /** Opens the block described by {@code meta}. */
    public static BlockReader open(ObjectStore store, BlockMeta meta) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The block's meta. */
    public BlockMeta meta() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** True when the bloom filter says the block may hold {@code id}; false means it does not. */
    public boolean mayContain(TraceId id) throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The trace's spans if the block holds it, after bloom and index checks. */
    public Optional<TraceEntry> findTrace(TraceId id) throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Bytes this reader fetched from the object store so far. */
    public long bytesRead() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Every trace in ascending ID order (for compaction and tests). */
    public Iterator<TraceEntry> traces() throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {}
}
