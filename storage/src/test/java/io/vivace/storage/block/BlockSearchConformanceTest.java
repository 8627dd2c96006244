package io.vivace.storage.block;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import io.vivace.storage.object.InMemoryObjectStore;
import io.vivace.traceql.engine.TraceSource;
import io.vivace.traceql.engine.testing.SearchConformanceSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/**
 * The engine's conformance suite over blocks: the dataset written into one block read by {@link
 * BlockSearcher}, once with small record batches (pruning and partial reads across many batches,
 * traces larger than a batch) and once with the default batch size.
 */
class BlockSearchConformanceTest {
    abstract static class OverBlock extends SearchConformanceSuite {
        private final BufferAllocator allocator = new RootAllocator();
        private BlockReader reader;

        abstract int rowsPerBatch();

        @Override
        protected TraceSource sourceOf(List<ResourceSpans> data) {
            Map<TraceId, List<ResourceSpans>> byTrace = new TreeMap<>(Traces.splitByTrace(data));
            List<TraceEntry> entries = new ArrayList<>();
            byTrace.forEach((id, pieces) -> entries.add(new TraceEntry(id, pieces)));
            InMemoryObjectStore store = new InMemoryObjectStore();
            try {
                BlockMeta meta = new BlockWriter(store, new BlockWriterConfig(rowsPerBatch(), 0.01, 100 * 1024), allocator)
                        .write("t", UUID.randomUUID(), 0, entries.iterator());
                reader = BlockReader.open(store, meta, allocator);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new BlockSearcher(reader);
        }

        @AfterAll
        void close() {
            reader.close();
            allocator.close();
        }
    }

    @Nested
    class SmallBatches extends OverBlock {
        @Override
        int rowsPerBatch() {
            return 5;
        }
    }

    @Nested
    class DefaultBatches extends OverBlock {
        @Override
        int rowsPerBatch() {
            return 8192;
        }
    }
}
