package io.vivace.storage.block;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The process-wide Arrow root allocator; writers and readers take child allocators from it. */
final class ArrowMemory {
    private ArrowMemory() {}

    /**
     * Shared root over {@link UnpooledAllocationManager}; children are closed by whoever opened
     * them, so leaks show up per operation.
     */
    static final BufferAllocator ROOT = new RootAllocator(RootAllocator.configBuilder()
            .allocationManagerFactory(UnpooledAllocationManager.FACTORY).maxAllocation(Long.MAX_VALUE).build());
}
