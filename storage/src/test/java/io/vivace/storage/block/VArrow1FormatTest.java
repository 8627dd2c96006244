package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.TraceId;
import io.vivace.storage.object.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.junit.jupiter.api.Test;

/** Runs the format contract against vArrow1, the current format, plus checks of its dictionary layout. */
class VArrow1FormatTest extends BlockFormatContract {
    @Override
    protected String format() {
        return BlockMeta.FORMAT_V_ARROW1;
    }

    @Test
    void dictionariesAreSortedDistinctAndCoverEveryCode() throws Exception {
        List<TraceEntry> traces = new TestTraces(5).traces(300);
        try (BufferAllocator allocator = new RootAllocator()) {
            InMemoryObjectStore store = new InMemoryObjectStore();
            BlockMeta meta = new BlockWriter(store, new BlockWriterConfig(256, 0.01, 100 * 1024), allocator)
                    .write("t", UUID.randomUUID(), 0, traces.iterator());
            BlockReader reader = BlockReader.open(store, meta, allocator);
            BlockIndex index = reader.index();
            assertThat(index.columns()).containsAll(SpanColumns.DICTIONARIES);
            for (int b = 0; b < index.batches().size(); b++) {
                try (BufferAllocator alloc = allocator.newChildAllocator("t", 0, Long.MAX_VALUE);
                        VectorSchemaRoot root = reader.loadBatch(index, b, alloc)) {
                    for (String d : SpanColumns.DICTIONARIES) {
                        ListVector list = (ListVector) root.getVector(d);
                        assertThat(list.isNull(0)).as("%s row 0", d).isFalse();
                        for (int row = 1; row < root.getRowCount(); row++) {
                            assertThat(list.isNull(row)).as("%s row %d", d, row).isTrue();
                        }
                        List<ByteString> values = values(list);
                        for (int i = 1; i < values.size(); i++) {
                            assertThat(ByteString.unsignedLexicographicalComparator().compare(values.get(i - 1), values.get(i)))
                                    .as("%s sorted and distinct", d).isNegative();
                        }
                    }
                    for (var e : SpanColumns.DICTIONARY_OF.entrySet()) {
                        int size = values((ListVector) root.getVector(e.getValue())).size();
                        checkCodes(root.getVector(e.getKey()), size, e.getKey());
                    }
                    // Root service and service name share a dictionary, so their codes compare directly.
                    assertThat(SpanColumns.dictionaryOf(SpanColumns.TRACE_ROOT_SERVICE))
                            .isEqualTo(SpanColumns.dictionaryOf(SpanColumns.RESOURCE_SERVICE_NAME));
                }
            }
            reader.close();
        }
    }

    /** Every non-null Int32 code below the column (or list) leaves' dictionary size. */
    private static void checkCodes(FieldVector v, int size, String path) {
        if (v instanceof IntVector codes) {
            for (int i = 0; i < codes.getValueCount(); i++) {
                if (!codes.isNull(i)) {
                    assertThat(codes.get(i)).as("code %d of %s", i, path).isBetween(0, size - 1);
                }
            }
        }
        if (v instanceof ListVector l) {
            checkCodes(l.getDataVector(), size, path);
        } else if (v instanceof StructVector s) {
            for (FieldVector c : s.getChildrenFromFields()) {
                if (c instanceof IntVector && !(c.getName().equals(SpanColumns.ATTR_KEY) || c.getName().equals(SpanColumns.ATTR_STR)
                        || c.getName().equals(SpanColumns.EVENT_NAME) || c.getName().equals(SpanColumns.LINK_TRACE_STATE))) {
                    continue; // counts and flags, not codes
                }
                checkCodes(c, size, path + "." + c.getName());
            }
        }
    }

    private static List<ByteString> values(ListVector list) {
        VarCharVector child = (VarCharVector) list.getDataVector();
        List<ByteString> out = new ArrayList<>();
        for (int i = list.getElementStartIndex(0); i < list.getElementEndIndex(0); i++) {
            out.add(ByteString.copyFrom(child.get(i)));
        }
        return out;
    }

    @Test
    void highCardinalityStringsRoundTrip() throws Exception {
        // Unique names, URLs, attribute keys and values in every span: the dictionaries hold them all.
        Random random = new Random(3);
        TreeMap<TraceId, TraceEntry> traces = new TreeMap<>();
        while (traces.size() < 40) {
            TraceId id = new TraceId(random.nextLong(), random.nextLong());
            ScopeSpans.Builder ss = ScopeSpans.newBuilder();
            for (int i = 0; i < 150; i++) {
                byte[] sid = new byte[8];
                random.nextBytes(sid);
                String u = Long.toHexString(random.nextLong());
                ss.addSpans(Span.newBuilder().setTraceId(id.toByteString()).setSpanId(ByteString.copyFrom(sid))
                        .setName("op " + u).setStartTimeUnixNano(random.nextLong()).setEndTimeUnixNano(random.nextLong())
                        .addAttributes(TestTraces.string("http.url", "https://example.com/" + u + "\u00e9"))
                        .addAttributes(TestTraces.string("key-" + u, u.repeat(1 + random.nextInt(30))))
                        .addAttributes(TestTraces.string("", "")));
            }
            ResourceSpans rs = ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(TestTraces.string("service.name", "svc-" + random.nextInt())))
                    .addScopeSpans(ss).build();
            traces.put(id, new TraceEntry(id, List.of(rs)));
        }
        List<TraceEntry> list = new ArrayList<>(traces.values());
        try (BufferAllocator allocator = new RootAllocator()) {
            InMemoryObjectStore store = new InMemoryObjectStore();
            BlockMeta meta = new BlockWriter(store, new BlockWriterConfig(1000, 0.01, 100 * 1024), allocator)
                    .write("t", UUID.randomUUID(), 0, list.iterator());
            try (BlockReader reader = BlockReader.open(store, meta, allocator)) {
                for (TraceEntry expected : list) {
                    assertThat(TestTraces.canonical(reader.findTrace(expected.id()).orElseThrow().resourceSpans()))
                            .containsExactlyElementsOf(TestTraces.canonical(expected.resourceSpans()));
                }
                Iterator<TraceEntry> it = reader.traces();
                for (TraceEntry expected : list) {
                    assertThat(TestTraces.canonical(it.next().resourceSpans())).containsExactlyElementsOf(TestTraces.canonical(expected.resourceSpans()));
                }
                assertThat(it.hasNext()).isFalse();
            }
        }
    }
}
