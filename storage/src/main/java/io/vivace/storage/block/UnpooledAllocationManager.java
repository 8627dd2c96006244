package io.vivace.storage.block;

import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ReferenceManager;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Arrow memory straight from the C heap, freed the moment Arrow releases it. Arrow's default
 * (Netty) manager keeps freed memory in pooled arenas of 16 MiB chunks, and counts it against
 * {@code -XX:MaxDirectMemorySize}; a server reading many blocks from many threads grew those pools
 * until direct memory ran out. Block reads and writes allocate a few large buffers per batch, where
 * pooling buys nothing, so an unpooled manager keeps memory proportional to the work in flight.
 */
final class UnpooledAllocationManager extends AllocationManager {
    /** Creates managers; hand it to the root allocator's configuration. */
    static final AllocationManager.Factory FACTORY = new AllocationManager.Factory() {
        private final ArrowBuf empty = new ArrowBuf(ReferenceManager.NO_OP, null, 0, MemoryUtil.allocateMemory(0));

        @Override
        public AllocationManager create(BufferAllocator accountingAllocator, long size) {
            return new UnpooledAllocationManager(accountingAllocator, size);
        }

        @Override
        public ArrowBuf empty() {
            return empty;
        }
    };

    private final long address;
    private final long size;

    private UnpooledAllocationManager(BufferAllocator accountingAllocator, long size) {
        super(accountingAllocator);
        this.address = MemoryUtil.allocateMemory(size);
        this.size = size;
    }

    @Override
    public long getSize() {
        return size;
    }

    @Override
    protected long memoryAddress() {
        return address;
    }

    @Override
    protected void release0() {
        MemoryUtil.freeMemory(address);
    }
}
