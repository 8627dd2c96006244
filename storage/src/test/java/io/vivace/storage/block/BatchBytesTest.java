package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.vivace.storage.object.InMemoryObjectStore;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Partial loads of a record batch give the same values as a full load, and fetch each byte once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchBytesTest {
    private InMemoryObjectStore store;
    private BlockMeta meta;
    private BufferAllocator allocator;
    private BlockReader reader;

    @BeforeAll
    void writeBlock() throws Exception {
        List<TraceEntry> traces = new TestTraces(3).traces(200);
        store = new InMemoryObjectStore();
        try (BufferAllocator alloc = new RootAllocator()) {
            meta = new BlockWriter(store, new BlockWriterConfig(256, 0.01, 100 * 1024), alloc).write("t", UUID.randomUUID(), 0, traces.iterator());
        }
    }

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
        reader = BlockReader.open(store, meta, allocator);
    }

    @AfterEach
    void noLeaks() {
        reader.close();
        assertThat(allocator.getAllocatedMemory()).isZero();
        allocator.close();
    }

    /** Arrow's getObject values with byte arrays made comparable. */
    private static Object normalize(Object o) {
        return switch (o) {
            case null -> null;
            case byte[] b -> HexFormat.of().formatHex(b);
            case java.util.Map<?, ?> m -> {
                java.util.Map<Object, Object> out = new java.util.TreeMap<>();
                m.forEach((k, v) -> out.put(k.toString(), normalize(v)));
                yield out;
            }
            case List<?> l -> l.stream().map(BatchBytesTest::normalize).toList();
            default -> o.toString();
        };
    }

    @Test
    void everyColumnAloneLoadsAsInTheFullBatch() throws Exception {
        BlockIndex idx = reader.index();
        for (int b = 0; b < idx.batches().size(); b += 3) {
            try (VectorSchemaRoot full = reader.loadBatch(idx, b, allocator)) {
                for (Field f : idx.schema().getFields()) {
                    AtomicLong fetched = new AtomicLong();
                    BatchBytes bytes = new BatchBytes(reader, idx, b, fetched::addAndGet);
                    try (VectorSchemaRoot one = bytes.load(new ColumnSelection().whole(f.getName()), allocator)) {
                        assertThat(one.getSchema().getFields()).containsExactly(f);
                        assertThat(one.getRowCount()).isEqualTo(full.getRowCount());
                        FieldVector expected = full.getVector(f.getName());
                        FieldVector actual = one.getVector(f.getName());
                        for (int r = 0; r < full.getRowCount(); r++) {
                            assertThat(normalize(actual.getObject(r))).as("%s row %d", f.getName(), r)
                                    .isEqualTo(normalize(expected.getObject(r)));
                        }
                    }
                    BlockIndex.Batch batch = idx.batches().get(b);
                    long column = batch.columnLengths()[idx.columnIndex(f.getName())];
                    // The metadata and the column, plus at most the alignment gaps merged into one read.
                    assertThat(fetched.get()).as(f.getName()).isBetween(batch.metadataLength() + column,
                            batch.metadataLength() + column + BatchBytes.MERGE_GAP);
                }
            }
        }
    }

    @Test
    void structChildrenCanBeLeftOut() throws Exception {
        BlockIndex idx = reader.index();
        AtomicLong fetched = new AtomicLong();
        BatchBytes bytes = new BatchBytes(reader, idx, 0, fetched::addAndGet);
        bytes.fetchColumns(List.of()); // the metadata alone
        long metadata = fetched.get();
        assertThat(metadata).isEqualTo(idx.batches().get(0).metadataLength());
        ColumnSelection keys = new ColumnSelection().paths(SpanColumns.SPAN_ATTRIBUTES, "attribute.key")
                .paths(SpanColumns.EVENTS, "event.attributes.attribute.key");
        try (VectorSchemaRoot partial = bytes.load(keys, allocator); VectorSchemaRoot full = reader.loadBatch(idx, 0, allocator)) {
            ListVector list = (ListVector) partial.getVector(SpanColumns.SPAN_ATTRIBUTES);
            StructVector struct = (StructVector) list.getDataVector();
            assertThat(struct.getChildFieldNames()).containsExactly(SpanColumns.ATTR_KEY);
            ListVector fullList = (ListVector) full.getVector(SpanColumns.SPAN_ATTRIBUTES);
            StructVector fullStruct = (StructVector) fullList.getDataVector();
            for (int r = 0; r < full.getRowCount(); r++) {
                assertThat(list.getElementStartIndex(r)).isEqualTo(fullList.getElementStartIndex(r));
                assertThat(list.getElementEndIndex(r)).isEqualTo(fullList.getElementEndIndex(r));
            }
            FieldVector key = struct.getChild(SpanColumns.ATTR_KEY);
            FieldVector fullKey = fullStruct.getChild(SpanColumns.ATTR_KEY);
            for (int e = 0; e < fullKey.getValueCount(); e++) {
                assertThat(normalize(key.getObject(e))).isEqualTo(normalize(fullKey.getObject(e)));
            }
            StructVector event = (StructVector) ((ListVector) partial.getVector(SpanColumns.EVENTS)).getDataVector();
            assertThat(event.getChildFieldNames()).containsExactly(SpanColumns.CHILD_ATTRIBUTES);
        }
        long partialBytes = fetched.get() - metadata;
        BlockIndex.Batch batch = idx.batches().get(0);
        assertThat(partialBytes).isLessThan(batch.columnLengths()[idx.columnIndex(SpanColumns.SPAN_ATTRIBUTES)]
                + batch.columnLengths()[idx.columnIndex(SpanColumns.EVENTS)]);
        // Loading everything afterwards fetches only what is missing: the batch once in total.
        try (VectorSchemaRoot all = bytes.loadAll(allocator)) {
            assertThat(all.getSchema().getFields()).isEqualTo(idx.schema().getFields());
        }
        assertThat(fetched.get()).isEqualTo(batch.length());
    }
}
