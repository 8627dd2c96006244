package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vivace.storage.object.InMemoryObjectStore;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.TagRequest;
import io.vivace.traceql.engine.TagValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link BlockSearcher#tagNames} and {@link BlockSearcher#tagValues} without a filter, against the dataset. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlockTagsTest {
    private List<TraceEntry> dataset;
    private InMemoryObjectStore store;
    private BlockMeta meta;
    private BufferAllocator allocator;
    private BlockReader reader;

    @BeforeAll
    void writeBlock() throws Exception {
        dataset = new SearchTraces(11).traces(600, 1);
        store = new InMemoryObjectStore();
        try (BufferAllocator alloc = new RootAllocator()) {
            meta = new BlockWriter(store, new BlockWriterConfig(256, 0.01, 100 * 1024), alloc)
                    .write("t", UUID.randomUUID(), 0, dataset.iterator());
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

    private Set<String> names(AttributeScope scope, long start, long end) {
        Set<String> out = new TreeSet<>();
        new BlockSearcher(reader).tagNames(new TagRequest(Set.of(scope), null, null, start, end, () -> false), new FetchStats(),
                (s, name) -> {
                    assertThat(s).isEqualTo(scope);
                    return out.add(name) || true;
                });
        return out;
    }

    private Set<TagValue> values(FieldReference tag, FetchStats stats) {
        Set<TagValue> out = new HashSet<>();
        new BlockSearcher(reader).tagValues(new TagRequest(Set.of(), tag, null, 0, 0, () -> false), stats, v -> {
            assertThat(out.add(v)).as("no repeats: %s", v).isTrue();
            return true;
        });
        return out;
    }

    private Set<TagValue> values(FieldReference tag) {
        return values(tag, new FetchStats());
    }

    private Set<String> keys(Function<SearchTraces.SpanView, List<KeyValue>> attributes) {
        Set<String> out = new TreeSet<>();
        for (TraceEntry t : dataset) {
            for (SearchTraces.SpanView s : SearchTraces.spans(t)) {
                attributes.apply(s).forEach(kv -> out.add(kv.getKey()));
            }
        }
        return out;
    }

    private static TagValue typed(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> TagValue.string(v.getStringValue());
            case INT_VALUE -> new TagValue("int", Long.toString(v.getIntValue()));
            case DOUBLE_VALUE -> new TagValue("float", BlockTags.floatText(v.getDoubleValue()));
            case BOOL_VALUE -> new TagValue("bool", Boolean.toString(v.getBoolValue()));
            default -> null;
        };
    }

    /**
     * The engine's view of a span's attribute: the first with the key in decoded order, where a
     * dedicated column's value (the first one of the column's type) comes first.
     */
    private static AnyValue first(List<KeyValue> attributes, String key) {
        SpanColumns.Dedicated d = SpanColumns.DEDICATED.stream().filter(x -> x.key().equals(key)).findFirst().orElse(null);
        List<AnyValue> all = SearchTraces.values(attributes, key);
        if (d != null) {
            for (AnyValue v : all) {
                if (d.isInt() ? v.hasIntValue() : v.hasStringValue()) {
                    return v;
                }
            }
        }
        return all.isEmpty() ? null : all.get(0);
    }

    private static void addTyped(AnyValue v, Set<TagValue> out) {
        if (v == null) {
            return;
        }
        if (v.hasArrayValue()) {
            v.getArrayValue().getValuesList().stream().map(BlockTagsTest::typed).filter(x -> x != null).forEach(out::add);
        } else if (typed(v) != null) {
            out.add(typed(v));
        }
    }

    private Set<TagValue> expectedValues(Function<SearchTraces.SpanView, List<KeyValue>> attributes, String key) {
        Set<TagValue> out = new HashSet<>();
        for (TraceEntry t : dataset) {
            for (SearchTraces.SpanView s : SearchTraces.spans(t)) {
                addTyped(first(attributes.apply(s), key), out);
            }
        }
        return out;
    }

    @Test
    void tagNamesPerScope() {
        assertThat(names(AttributeScope.SPAN, 0, 0)).isEqualTo(keys(SearchTraces.SpanView::spanAttributes))
                .contains("http.method", "http.status_code", "attr.str", "tags");
        assertThat(names(AttributeScope.RESOURCE, 0, 0)).isEqualTo(keys(SearchTraces.SpanView::resourceAttributes))
                .contains("service.name", "res.tier");
        assertThat(names(AttributeScope.INSTRUMENTATION, 0, 0)).containsExactly("scope.kind");
        assertThat(names(AttributeScope.EVENT, 0, 0)).containsExactly("exception.type");
        assertThat(names(AttributeScope.LINK, 0, 0)).containsExactly("link.kind");
        assertThat(names(AttributeScope.SPAN, SearchTraces.BASE - 10, SearchTraces.BASE - 5)).isEmpty();
    }

    @Test
    void tagNamesReadOnlyKeys() throws Exception {
        reader.index();
        FetchStats stats = new FetchStats();
        long served = store.bytesServed();
        new BlockSearcher(reader).tagNames(new TagRequest(Set.of(AttributeScope.SPAN, AttributeScope.RESOURCE), null, null, 0, 0,
                () -> false), stats, (s, n) -> true);
        assertThat(stats.inspectedBytes()).isEqualTo(store.bytesServed() - served);
        assertThat(stats.inspectedBytes()).isLessThan(store.size("t/" + meta.blockId() + "/data") / 2);
    }

    @Test
    void attributeValuesAreTyped() {
        assertThat(values(Attribute.span("http.method"))).isEqualTo(expectedValues(SearchTraces.SpanView::spanAttributes, "http.method"));
        Set<TagValue> statusCodes = values(Attribute.span("http.status_code"));
        assertThat(statusCodes).isEqualTo(expectedValues(SearchTraces.SpanView::spanAttributes, "http.status_code"))
                .contains(new TagValue("int", "500"), TagValue.string("503"));
        assertThat(values(Attribute.resource("service.name")))
                .isEqualTo(expectedValues(SearchTraces.SpanView::resourceAttributes, "service.name"));
        Set<TagValue> unscoped = expectedValues(SearchTraces.SpanView::resourceAttributes, "service.name");
        unscoped.addAll(expectedValues(SearchTraces.SpanView::spanAttributes, "service.name"));
        assertThat(values(Attribute.unscoped("service.name"))).isEqualTo(unscoped).contains(new TagValue("int", "7"));
        // A repeated key: only the first value of each span counts, as the engine reads attributes.
        assertThat(values(Attribute.span("db.system"))).containsExactly(TagValue.string("postgresql"));
        Set<TagValue> events = new HashSet<>();
        for (TraceEntry t : dataset) {
            for (SearchTraces.SpanView s : SearchTraces.spans(t)) {
                s.span().getEventsList().forEach(e -> addTyped(first(e.getAttributesList(), "exception.type"), events));
            }
        }
        assertThat(values(Attribute.unscoped("exception.type"))).isEqualTo(events);
        assertThat(values(Attribute.span("attr.dbl"))).isEqualTo(expectedValues(SearchTraces.SpanView::spanAttributes, "attr.dbl"))
                .allMatch(v -> v.type().equals("float"));
        assertThat(values(Attribute.span("attr.bool"))).containsExactlyInAnyOrder(new TagValue("bool", "true"), new TagValue("bool", "false"));
        assertThat(values(Attribute.span("tags"))).isEqualTo(expectedValues(SearchTraces.SpanView::spanAttributes, "tags"));
        assertThat(values(Attribute.span("nope"))).isEmpty();
        assertThat(values(new Attribute(AttributeScope.EVENT, "exception.type")))
                .containsExactlyInAnyOrder(TagValue.string("IOError"), TagValue.string("Timeout"));
        assertThat(values(new Attribute(AttributeScope.INSTRUMENTATION, "scope.kind")))
                .containsExactlyInAnyOrder(TagValue.string("auto"), TagValue.string("manual"));
    }

    @Test
    void intrinsicValues() {
        Set<TagValue> names = new HashSet<>();
        Set<TagValue> messages = new HashSet<>();
        for (TraceEntry t : dataset) {
            for (SearchTraces.SpanView s : SearchTraces.spans(t)) {
                names.add(TagValue.string(s.span().getName()));
                if (!s.span().getStatus().getMessage().isEmpty()) {
                    messages.add(TagValue.string(s.span().getStatus().getMessage()));
                }
            }
        }
        assertThat(values(new IntrinsicField(Intrinsic.NAME))).isEqualTo(names);
        assertThat(values(new IntrinsicField(Intrinsic.STATUS_MESSAGE))).isEqualTo(messages);
        FetchStats stats = new FetchStats();
        assertThat(values(new IntrinsicField(Intrinsic.STATUS), stats)).containsExactlyInAnyOrder(new TagValue("keyword", "unset"),
                new TagValue("keyword", "ok"), new TagValue("keyword", "error"));
        assertThat(values(new IntrinsicField(Intrinsic.KIND))).containsExactlyInAnyOrder(new TagValue("keyword", "unspecified"),
                new TagValue("keyword", "internal"), new TagValue("keyword", "server"), new TagValue("keyword", "client"),
                new TagValue("keyword", "producer"), new TagValue("keyword", "consumer"));
        assertThat(values(new IntrinsicField(Intrinsic.TRACE_ROOT_SERVICE))).isSubsetOf(values(Attribute.resource("service.name")));
        assertThat(values(new IntrinsicField(Intrinsic.EVENT_NAME))).containsExactly(TagValue.string("exception"));
        assertThat(values(new IntrinsicField(Intrinsic.INSTRUMENTATION_NAME)))
                .containsExactlyInAnyOrder(TagValue.string("lib-a"), TagValue.string("lib-b"));
    }

    @Test
    void stopsWhenTheSinkSaysSo() {
        List<TagValue> seen = new ArrayList<>();
        new BlockSearcher(reader).tagValues(new TagRequest(Set.of(), new IntrinsicField(Intrinsic.NAME), null, 0, 0, () -> false),
                new FetchStats(), v -> seen.add(v) && seen.size() < 2);
        assertThat(seen).hasSize(2);
    }

    @Test
    void floatsAreRenderedAsTheEngineDoes() {
        assertThat(BlockTags.floatText(1.5)).isEqualTo("1.5");
        assertThat(BlockTags.floatText(2.0)).isEqualTo("2.0");
        assertThat(BlockTags.floatText(123456.0)).isEqualTo("123456.0");
        assertThat(BlockTags.floatText(1e6)).isEqualTo("1e+06");
        assertThat(BlockTags.floatText(0.00001)).isEqualTo("1e-05");
        assertThat(BlockTags.floatText(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(BlockTags.floatText(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    }
}
