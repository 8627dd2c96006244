package io.vivace.storage.block;

import io.vivace.storage.object.ObjectStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.UUID;

/**
 * Writes blocks in the current format to an {@link ObjectStore}: {@code data}, {@code index},
 * {@code bloom-N}, and last {@code meta.json}, so that a crash mid-write leaves no visible block.
 */
public final class BlockWriter {
    private final ObjectStore store;
    private final BlockWriterConfig config;

    /** Creates a writer. */
    public BlockWriter(ObjectStore store, BlockWriterConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * Writes one block.
     *
     * @param tenant the tenant
     * @param blockId the new block's ID
     * @param compactionLevel 0 for ingester blocks
     * @param traces traces in ascending trace ID order, each ID once, spans already de-duplicated
     * @return the block's meta, as written
     */
    public BlockMeta write(String tenant, UUID blockId, int compactionLevel, Iterator<TraceEntry> traces) throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
