package io.vivace.ingester;

import io.vivace.storage.block.BlockMeta;

/**
 * Told about every block the ingester has written. When {@link #blockWritten} returns normally the
 * queriers serve the block from then on, so the ingester stops serving it itself: in single-binary
 * mode the app hands the block straight to the querier's block list, and a lookup reads each block
 * once instead of once through the ingester and once through the block list. Without a handoff (or
 * when it throws) the ingester serves its blocks for {@code complete_block_timeout}.
 */
@FunctionalInterface
public interface BlockHandoff {
    /** Makes {@code meta}'s block visible to the queriers. */
    void blockWritten(BlockMeta meta);
}
