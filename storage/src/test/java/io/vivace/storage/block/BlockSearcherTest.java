package io.vivace.storage.block;

import static io.vivace.storage.block.SearchTraces.anyNumber;
import static io.vivace.storage.block.SearchTraces.anySpan;
import static io.vivace.storage.block.SearchTraces.anyString;
import static io.vivace.storage.block.SearchTraces.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import io.vivace.storage.object.ForwardingObjectStore;
import io.vivace.storage.object.InMemoryObjectStore;
import io.vivace.storage.object.ObjectStore;
import io.vivace.traceql.TraceQL;
import io.vivace.traceql.engine.EvalTrace;
import io.vivace.traceql.engine.FetchRequest;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.TracePredicate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BlockSearcher#fetch} against hand-written oracles over a generated block of 128-row
 * batches: the exact set of traces where the evaluation is exact, a superset of the matches
 * elsewhere, pruning that reads nothing, partial reads, time ranges, cancellation and shards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlockSearcherTest {
    private static final String TENANT = "t";

    private List<TraceEntry> dataset;
    private InMemoryObjectStore store;
    private BlockMeta meta;
    private BufferAllocator allocator;
    private BlockReader reader;

    @BeforeAll
    void writeBlock() throws Exception {
        dataset = new SearchTraces(7).traces(1500, 3);
        store = new InMemoryObjectStore();
        try (BufferAllocator alloc = new RootAllocator()) {
            meta = new BlockWriter(store, new BlockWriterConfig(128, 0.01, 100 * 1024), alloc)
                    .write(TENANT, UUID.randomUUID(), 0, dataset.iterator());
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
        assertThat(allocator.getAllocatedMemory()).as("Arrow memory left allocated").isZero();
        allocator.close();
    }

    private static TracePredicate predicate(String query) {
        return TracePredicate.of(TraceQL.compile(query));
    }

    private List<EvalTrace> fetch(FetchRequest request, FetchStats stats) {
        List<EvalTrace> out = new ArrayList<>();
        new BlockSearcher(reader).fetch(request, stats, t -> {
            out.add(t);
            return true;
        });
        return out;
    }

    private Set<TraceId> ids(String query) {
        return ids(fetch(new FetchRequest(predicate(query), 0, 0, () -> false), new FetchStats()));
    }

    private static Set<TraceId> ids(List<EvalTrace> traces) {
        return traces.stream().map(EvalTrace::id).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private Set<TraceId> expected(Predicate<TraceEntry> trace) {
        return dataset.stream().filter(trace).map(TraceEntry::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<TraceId> spansWhere(Predicate<SearchTraces.SpanView> span) {
        return expected(t -> anySpan(t, span));
    }

    private long dataSize() throws Exception {
        return store.size(TENANT + "/" + meta.blockId() + "/data");
    }

    private static int statusCode(Span s) {
        return s.hasStatus() ? s.getStatus().getCodeValue() : 0;
    }

    private static String hex(com.google.protobuf.ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    /** Queries whose result must be exactly the oracle's. */
    Stream<Arguments> exact() {
        return Stream.of(
                Arguments.of("{ resource.service.name = \"rare-svc\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.resourceAttributes(), "service.name", "rare-svc"::equals)),
                Arguments.of("{ resource.service.name = \"svc-1\" && span.http.method = \"GET\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.resourceAttributes(), "service.name", "svc-1"::equals)
                                && anyString(s.spanAttributes(), "http.method", "GET"::equals)),
                Arguments.of("{ .service.name = \"rare-svc\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.resourceAttributes(), "service.name", "rare-svc"::equals)),
                Arguments.of("{ resource.service.name = 7 }",
                        (Predicate<SearchTraces.SpanView>) s -> anyNumber(s.resourceAttributes(), "service.name", v -> v == 7)),
                Arguments.of("{ span.http.method = \"GET\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.spanAttributes(), "http.method", "GET"::equals)),
                Arguments.of("{ span.http.status_code = 500 }",
                        (Predicate<SearchTraces.SpanView>) s -> anyNumber(s.spanAttributes(), "http.status_code", v -> v == 500)),
                Arguments.of("{ span.http.status_code = \"503\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.spanAttributes(), "http.status_code", "503"::equals)),
                Arguments.of("{ span.http.status_code >= 404 && span.http.method = \"POST\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyNumber(s.spanAttributes(), "http.status_code", v -> v >= 404)
                                && anyString(s.spanAttributes(), "http.method", "POST"::equals)),
                Arguments.of("{ span.http.url =~ \"https://example.com/items/1[0-4]\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.spanAttributes(), "http.url",
                                v -> v.matches("https://example\\.com/items/1[0-4]"))),
                Arguments.of("{ span.db.system = \"mysql\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.spanAttributes(), "db.system", "mysql"::equals)),
                Arguments.of("{ .attr.str =~ \"v-1.*\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.spanAttributes(), "attr.str", v -> v.startsWith("v-1"))),
                Arguments.of("{ span.attr.str !~ \"v-1.*\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.spanAttributes(), "attr.str", v -> !v.startsWith("v-1"))),
                Arguments.of("{ span.attr.str > \"v-45\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.spanAttributes(), "attr.str", v -> v.compareTo("v-45") > 0)),
                Arguments.of("{ span.attr.int > 90 }",
                        (Predicate<SearchTraces.SpanView>) s -> anyNumber(s.spanAttributes(), "attr.int", v -> v > 90)),
                Arguments.of("{ span.attr.int = 42.0 }",
                        (Predicate<SearchTraces.SpanView>) s -> anyNumber(s.spanAttributes(), "attr.int", v -> v == 42)),
                Arguments.of("{ span.attr.int = \"42\" }", (Predicate<SearchTraces.SpanView>) s -> false),
                Arguments.of("{ span.attr.dbl < 1.5 }",
                        (Predicate<SearchTraces.SpanView>) s -> anyNumber(s.spanAttributes(), "attr.dbl", v -> v < 1.5)),
                Arguments.of("{ span.attr.dbl >= 9 }",
                        (Predicate<SearchTraces.SpanView>) s -> anyNumber(s.spanAttributes(), "attr.dbl", v -> v >= 9)),
                Arguments.of("{ span.attr.bool = true }",
                        (Predicate<SearchTraces.SpanView>) s -> values(s.spanAttributes(), "attr.bool").stream().anyMatch(AnyValue::getBoolValue)),
                Arguments.of("{ span.tags = \"t-3\" }",
                        (Predicate<SearchTraces.SpanView>) s -> values(s.spanAttributes(), "tags").stream()
                                .anyMatch(v -> v.getArrayValue().getValuesList().stream().anyMatch(e -> e.getStringValue().equals("t-3")))),
                Arguments.of("{ span.tags != \"t-3\" }",
                        (Predicate<SearchTraces.SpanView>) s -> values(s.spanAttributes(), "tags").stream()
                                .anyMatch(v -> v.getArrayValue().getValuesList().stream().noneMatch(e -> e.getStringValue().equals("t-3")))),
                Arguments.of("{ span.nums > 98 }",
                        (Predicate<SearchTraces.SpanView>) s -> values(s.spanAttributes(), "nums").stream()
                                .anyMatch(v -> v.getArrayValue().getValuesList().stream().anyMatch(e -> e.getIntValue() > 98))),
                Arguments.of("{ span.http.method = nil }",
                        (Predicate<SearchTraces.SpanView>) s -> values(s.spanAttributes(), "http.method").isEmpty()),
                Arguments.of("{ span.attr.str != nil && resource.k8s.namespace.name = nil }",
                        (Predicate<SearchTraces.SpanView>) s -> !values(s.spanAttributes(), "attr.str").isEmpty()
                                && values(s.resourceAttributes(), "k8s.namespace.name").isEmpty()),
                Arguments.of("{ name = \"op-3\" }", (Predicate<SearchTraces.SpanView>) s -> s.span().getName().equals("op-3")),
                Arguments.of("{ name =~ \"GET.*\" }", (Predicate<SearchTraces.SpanView>) s -> s.span().getName().startsWith("GET")),
                Arguments.of("{ name != \"op-3\" }", (Predicate<SearchTraces.SpanView>) s -> !s.span().getName().equals("op-3")),
                Arguments.of("{ name < \"op-2\" }", (Predicate<SearchTraces.SpanView>) s -> s.span().getName().compareTo("op-2") < 0),
                Arguments.of("{ status = error }", (Predicate<SearchTraces.SpanView>) s -> statusCode(s.span()) == 2),
                Arguments.of("{ status = unset }", (Predicate<SearchTraces.SpanView>) s -> statusCode(s.span()) == 0),
                Arguments.of("{ status != ok && kind = server }",
                        (Predicate<SearchTraces.SpanView>) s -> statusCode(s.span()) != 1 && s.span().getKindValue() == 2),
                Arguments.of("{ kind = consumer }", (Predicate<SearchTraces.SpanView>) s -> s.span().getKindValue() == 5),
                Arguments.of("{ statusMessage = \"boom 1\" }",
                        (Predicate<SearchTraces.SpanView>) s -> s.span().getStatus().getMessage().equals("boom 1")),
                Arguments.of("{ duration > 2500ms }",
                        (Predicate<SearchTraces.SpanView>) s -> s.span().getEndTimeUnixNano() - s.span().getStartTimeUnixNano() > 2_500_000_000L),
                Arguments.of("{ span:childCount >= 4 }", (Predicate<SearchTraces.SpanView>) s -> s.childCount() >= 4),
                Arguments.of("{ event.exception.type = \"Timeout\" }",
                        (Predicate<SearchTraces.SpanView>) s -> s.span().getEventsList().stream()
                                .anyMatch(e -> anyString(e.getAttributesList(), "exception.type", "Timeout"::equals))),
                Arguments.of("{ event:name = \"exception\" }", (Predicate<SearchTraces.SpanView>) s -> s.span().getEventsCount() > 0),
                Arguments.of("{ link.link.kind = \"follows\" }",
                        (Predicate<SearchTraces.SpanView>) s -> s.span().getLinksList().stream()
                                .anyMatch(l -> anyString(l.getAttributesList(), "link.kind", "follows"::equals))),
                Arguments.of("{ instrumentation.scope.kind = \"auto\" }",
                        (Predicate<SearchTraces.SpanView>) s -> anyString(s.scope().getAttributesList(), "scope.kind", "auto"::equals)),
                Arguments.of("{ instrumentation:name = \"lib-a\" && instrumentation:version = \"\" }",
                        (Predicate<SearchTraces.SpanView>) s -> s.scope().getName().equals("lib-a") && s.scope().getVersion().isEmpty()),
                Arguments.of("{ name = \"big-first-1\" }", (Predicate<SearchTraces.SpanView>) s -> s.span().getName().equals("big-first-1")),
                Arguments.of("{ }", (Predicate<SearchTraces.SpanView>) s -> true));
    }

    @ParameterizedTest
    @MethodSource("exact")
    void returnsExactlyTheMatchingTraces(String query, Predicate<SearchTraces.SpanView> span) {
        Set<TraceId> want = spansWhere(span);
        assertThat(new TreeSet<>(ids(query))).as(query).isEqualTo(want);
    }

    @Test
    void combinesSpanSetsAcrossSpansAndBatches() {
        // Two spans of one large trace, in different batches.
        assertThat(ids("{ name = \"big-first-1\" } && { name = \"big-last-1\" }"))
                .isEqualTo(spansWhere(s -> s.span().getName().equals("big-first-1")));
        assertThat(ids("{ name = \"big-first-1\" && name = \"big-last-1\" }")).isEmpty();
        assertThat(new TreeSet<>(ids("{ resource.res.tier = \"gold\" } && { span.http.status_code = 500 }")))
                .isEqualTo(expected(t -> anySpan(t, s -> anyString(s.resourceAttributes(), "res.tier", "gold"::equals))
                        && anySpan(t, s -> anyNumber(s.spanAttributes(), "http.status_code", v -> v == 500))));
        assertThat(new TreeSet<>(ids("{ span.http.method = \"GET\" } || { name = \"op-1\" }")))
                .isEqualTo(expected(t -> anySpan(t, s -> anyString(s.spanAttributes(), "http.method", "GET"::equals))
                        || anySpan(t, s -> s.span().getName().equals("op-1"))));
    }

    @Test
    void traceLevelIntrinsics() {
        assertThat(new TreeSet<>(ids("{ trace:duration > 3s }"))).isEqualTo(expected(t -> SearchTraces.end(t) - SearchTraces.start(t) > 3_000_000_000L));
        Set<TraceId> roots = expected(t -> anySpan(t, s -> s.span().getParentSpanId().isEmpty()
                && anyString(s.resourceAttributes(), "service.name", "svc-1"::equals)));
        assertThat(new TreeSet<>(ids("{ trace:rootService = \"svc-1\" }"))).isEqualTo(roots);
        assertThat(new TreeSet<>(ids("{ rootName =~ \"GET /api/[12]\" }")))
                .isEqualTo(expected(t -> anySpan(t, s -> s.span().getParentSpanId().isEmpty() && s.span().getName().matches("GET /api/[12]"))));
    }

    @Test
    void idsCompareAsHex() {
        TraceEntry sixtyFour = dataset.stream().filter(t -> t.id().high() == 0).findFirst().orElseThrow();
        assertThat(ids("{ trace:id = \"" + sixtyFour.id().toTrimmedHex() + "\" }")).containsExactly(sixtyFour.id());
        assertThat(ids("{ trace:id = \"" + sixtyFour.id().toHex() + "\" }")).containsExactly(sixtyFour.id());
        TraceEntry wide = dataset.stream().filter(t -> t.id().high() != 0).skip(100).findFirst().orElseThrow();
        FetchStats stats = new FetchStats();
        List<EvalTrace> found = fetch(new FetchRequest(predicate("{ trace:id = \"" + wide.id().toHex().toUpperCase() + "\" }"), 0, 0,
                () -> false), stats);
        assertThat(ids(found)).containsExactly(wide.id());
        Span some = SearchTraces.spans(wide).get(1).span();
        assertThat(ids("{ span:id = \"" + hex(some.getSpanId()) + "\" }")).containsExactly(wide.id());
        assertThat(ids("{ span:parentID = \"" + hex(some.getParentSpanId()) + "\" && span:id = \"" + hex(some.getSpanId()) + "\" }"))
                .containsExactly(wide.id());
        assertThat(ids("{ trace:id = \"xyz\" }")).isEmpty();
    }

    @Test
    void returnsWholeTraces() throws Exception {
        List<EvalTrace> found = fetch(new FetchRequest(predicate("{ name = \"big-last-1\" } || { resource.service.name = \"rare-svc\" }"), 0,
                0, () -> false), new FetchStats());
        assertThat(found).isNotEmpty();
        for (EvalTrace t : found) {
            TraceEntry original = dataset.stream().filter(e -> e.id().equals(t.id())).findFirst().orElseThrow();
            assertThat(t.spans()).hasSize(SearchTraces.spans(original).size());
            TraceEntry stored = reader.findTrace(t.id()).orElseThrow();
            assertThat(TestTraces.canonical(t.spans().stream().map(s -> io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .setResource(s.resource()).addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                            .setScope(s.scope()).addSpans(s.span())).build()).toList()))
                    .isEqualTo(TestTraces.canonical(stored.resourceSpans()));
        }
        assertThat(found.stream().filter(t -> t.spans().size() == SearchTraces.BIG_SPANS)).hasSize(1);
    }

    /** Queries answered with a superset: the engine re-evaluates them. */
    @Test
    void supersetWhereTheFirstPassCannotDecide() {
        // Structural: both sides must exist; the engine checks the relation.
        Set<TraceId> structural = ids("{ span.http.method = \"GET\" } >> { span.http.status_code = 500 }");
        assertThat(structural).containsAll(expected(t -> anySpan(t, s -> anyString(s.spanAttributes(), "http.method", "GET"::equals))
                && anySpan(t, s -> anyNumber(s.spanAttributes(), "http.status_code", v -> v == 500))));
        // An OR inside a filter is not a conjunction of conditions: every trace is a candidate.
        assertThat(ids("{ span.http.method = \"GET\" || span.attr.int = 3 }")).hasSize(dataset.size());
        // kvlist values may match (TraceQL does not define the comparison).
        assertThat(ids("{ span.kv = \"x\" }")).containsAll(spansWhere(s -> !values(s.spanAttributes(), "kv").isEmpty()));
        assertThat(ids("{ span.kv = \"x\" }")).hasSizeLessThan(dataset.size() / 2);
        // Nested-set intrinsics are the engine's.
        assertThat(ids("{ nestedSetParent = -1 }")).hasSize(dataset.size());
    }

    @Test
    void indexPruningReadsNothing() throws Exception {
        reader.index();
        for (String query : List.of("{ resource.service.name = \"nope\" }", "{ name = \"nope\" }", "{ duration > 1h }",
                "{ kind = unspecified && name = \"big-first-0\" }", "{ trace:id = \"ffffffffffffffffffffffffffffff00\" }")) {
            FetchStats stats = new FetchStats();
            long served = store.bytesServed();
            assertThat(fetch(new FetchRequest(predicate(query), 0, 0, () -> false), stats)).as(query).isEmpty();
            assertThat(stats.inspectedBytes()).as(query).isZero();
            assertThat(store.bytesServed()).isEqualTo(served);
        }
    }

    /** Bytes of the given columns and the message metadata, summed over the batches {@code batch} accepts. */
    private static long bytesOf(BlockIndex idx, Predicate<BlockIndex.Batch> batch, String... columns) {
        long sum = 0;
        for (BlockIndex.Batch b : idx.batches()) {
            if (batch.test(b)) {
                sum += b.metadataLength() + BatchBytes.MERGE_GAP;
                for (String c : columns) {
                    sum += b.columnLengths()[idx.columnIndex(c)];
                }
            }
        }
        return sum;
    }

    /** Bytes of the batches holding the traces {@code ids}. */
    private static long batchesHolding(BlockIndex idx, Set<TraceId> ids) {
        Set<Integer> batches = new TreeSet<>();
        for (TraceId id : ids) {
            int[] range = idx.batchesFor(id);
            for (int b = range[0]; b < range[1]; b++) {
                batches.add(b);
            }
        }
        return batches.stream().mapToLong(b -> idx.batches().get(b).length()).sum();
    }

    @Test
    void selectiveQueriesReadOnlyWhatTheyNeed() throws Exception {
        BlockIndex idx = reader.index();
        long data = dataSize();
        record Case(String query, long maxBytes) {}
        for (Case c : List.of(
                // Pruned by the index where the service is absent; whole batches read where it is.
                new Case("{ resource.service.name = \"rare-svc\" }",
                        idx.batches().stream().filter(b -> b.serviceNames().mayContain("rare-svc")).mapToLong(BlockIndex.Batch::length).sum()),
                // The dictionaries show the literal is absent: metadata and two dictionaries per batch.
                new Case("{ span.http.url = \"https://example.com/items/none\" }",
                        bytesOf(idx, b -> true, SpanColumns.URL_DICTIONARY, SpanColumns.SPAN_ATTRIBUTES_DICTIONARY)),
                new Case("{ span.http.method = \"DELETE\" && span.attr.int > 3 }",
                        bytesOf(idx, b -> true, SpanColumns.SPAN_DICTIONARY, SpanColumns.SPAN_ATTRIBUTES_DICTIONARY)),
                // Numeric intrinsics: their columns and the trace columns, and whole batches only where a trace matches.
                new Case("{ duration > 2500ms && kind = consumer }", bytesOf(idx, b -> true, SpanColumns.DURATION_NANO, SpanColumns.KIND,
                        SpanColumns.TRACE_ID, SpanColumns.TRACE_START_UNIX_NANO, SpanColumns.TRACE_END_UNIX_NANO)
                        + 4L * idx.batches().size() * BatchBytes.MERGE_GAP
                        + batchesHolding(idx, spansWhere(s -> s.span().getKindValue() == 5
                                && s.span().getEndTimeUnixNano() - s.span().getStartTimeUnixNano() > 2_500_000_000L))),
                // One trace: the index's trace ID ranges pick its batch.
                new Case("{ trace:id = \"" + dataset.get(700).id().toHex() + "\" }", 2 * idx.batches().stream().mapToLong(BlockIndex.Batch::length).max().orElseThrow()))) {
            FetchStats stats = new FetchStats();
            long served = store.bytesServed();
            fetch(new FetchRequest(predicate(c.query()), 0, 0, () -> false), stats);
            assertThat(stats.inspectedBytes()).as("honest accounting of %s", c.query()).isEqualTo(store.bytesServed() - served);
            assertThat(stats.inspectedBytes()).as(c.query()).isLessThanOrEqualTo(c.maxBytes()).isLessThan(data * 2 / 3);
        }
        // A query that matches in every batch reads it all, and each byte once.
        FetchStats stats = new FetchStats();
        fetch(new FetchRequest(predicate("{ span.http.method = \"GET\" }"), 0, 0, () -> false), stats);
        assertThat(stats.inspectedBytes()).isLessThanOrEqualTo(data);
        assertThat(stats.inspectedSpans()).isEqualTo(meta.totalSpans());
        assertThat(stats.inspectedTraces()).isEqualTo(meta.totalTraces());
    }

    @Test
    void aSelectiveQueryOnDefaultBatchesReadsUnderFivePercent() throws Exception {
        // 128-row batches make the fixed per-batch metadata (about 6 KB) a third of the data; with the
        // default 8,192 rows it is about 2 %.
        InMemoryObjectStore large = new InMemoryObjectStore();
        BlockMeta largeMeta = new BlockWriter(large, BlockWriterConfig.defaults(), allocator)
                .write(TENANT, UUID.randomUUID(), 0, dataset.iterator());
        try (BlockReader r = BlockReader.open(large, largeMeta, allocator)) {
            long data = large.size(TENANT + "/" + largeMeta.blockId() + "/data");
            r.index();
            for (String query : List.of("{ span.http.url = \"https://example.com/items/none\" }", "{ span.http.method = \"DELETE\" }",
                    "{ statusMessage =~ \"boom [5-9]\" && name = \"op-3\" }", "{ resource.service.name = \"nope\" }")) {
                FetchStats stats = new FetchStats();
                new BlockSearcher(r).fetch(new FetchRequest(predicate(query), 0, 0, () -> false), stats, t -> true);
                assertThat((double) stats.inspectedBytes() / data).as(query).isLessThan(0.05);
            }
        }
    }

    /** Counts and records the range reads of {@code data} objects. */
    private static final class CountingStore extends ForwardingObjectStore {
        final List<long[]> dataReads = new ArrayList<>();

        CountingStore(ObjectStore inner) {
            super(inner);
        }

        @Override
        public synchronized byte[] readRange(String key, long offset, int length) throws IOException {
            if (key.endsWith("/data")) {
                dataReads.add(new long[] {offset, offset + length});
            }
            return super.readRange(key, offset, length);
        }
    }

    @Test
    void plannedReadsMergeTheDictionariesOfABatchWithTheNextBatchsMetadata() throws Exception {
        // Without events and links the columns after the last dictionary are a gap of under 1/32 of the
        // batch (as in S3LookupTool's corpus at the default 8,192 rows).
        List<TraceEntry> plain = new ArrayList<>();
        for (TraceEntry t : dataset) {
            List<io.opentelemetry.proto.trace.v1.ResourceSpans> rs = new ArrayList<>();
            for (io.opentelemetry.proto.trace.v1.ResourceSpans r : t.resourceSpans()) {
                io.opentelemetry.proto.trace.v1.ResourceSpans.Builder b = r.toBuilder();
                b.getScopeSpansBuilderList().forEach(ss -> ss.getSpansBuilderList().forEach(sp -> sp.clearEvents().clearLinks()));
                rs.add(b.build());
            }
            plain.add(new TraceEntry(t.id(), rs));
        }
        InMemoryObjectStore mid = new InMemoryObjectStore();
        BlockMeta midMeta = new BlockWriter(mid, new BlockWriterConfig(1024, 0.01, 100 * 1024), allocator)
                .write(TENANT, UUID.randomUUID(), 0, plain.iterator());
        CountingStore counting = new CountingStore(mid);
        try (BlockReader r = BlockReader.open(counting, midMeta, allocator)) {
            BlockIndex idx = r.index();
            int batches = idx.batches().size();
            assertThat(batches).isGreaterThan(2);
            List<String> dictionaries = List.of(SpanColumns.URL_DICTIONARY, SpanColumns.SPAN_ATTRIBUTES_DICTIONARY);
            // What each batch read on its own costs: one request per range the batch's metadata and dictionaries need.
            int unplanned = 0;
            for (int b = 0; b < batches; b++) {
                unplanned += BatchBytes.plannedColumns(idx, b, dictionaries).size();
            }
            assertThat(unplanned).isGreaterThanOrEqualTo(2 * batches);
            FetchStats stats = new FetchStats();
            long served = mid.bytesServed();
            List<EvalTrace> out = new ArrayList<>();
            new BlockSearcher(r).fetch(new FetchRequest(predicate("{ span.http.url = \"https://example.com/items/none\" }"), 0, 0,
                    () -> false), stats, t -> out.add(t));
            assertThat(out).isEmpty();
            // A batch's last dictionary and the next batch's metadata share a request.
            assertThat(counting.dataReads).hasSizeLessThanOrEqualTo(unplanned - (batches - 1));
            assertThat(counting.dataReads.size()).isLessThanOrEqualTo(2 * batches + 1); // three per batch unplanned
            // Nothing read twice, and every byte transferred counted.
            List<long[]> sorted = new ArrayList<>(counting.dataReads);
            sorted.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i)[0]).isGreaterThanOrEqualTo(sorted.get(i - 1)[1]);
            }
            assertThat(stats.inspectedBytes()).isEqualTo(mid.bytesServed() - served);
        }
    }

    @Test
    void countsTheIndexWhenItReadsIt() throws Exception {
        FetchStats stats = new FetchStats();
        fetch(new FetchRequest(predicate("{ resource.service.name = \"nope\" }"), 0, 0, () -> false), stats);
        assertThat(stats.inspectedBytes()).isEqualTo(store.size(TENANT + "/" + meta.blockId() + "/index"));
    }

    @Test
    void timeRange() {
        long from = SearchTraces.BASE + 1000 * 1_000_000_000L;
        long to = SearchTraces.BASE + 1200 * 1_000_000_000L;
        Set<TraceId> want = expected(t -> SearchTraces.start(t) <= to && SearchTraces.end(t) >= from);
        assertThat(want).isNotEmpty().hasSizeLessThan(dataset.size() / 4);
        assertThat(new TreeSet<>(ids(fetch(FetchRequest.all(from, to), new FetchStats())))).isEqualTo(want);
        Set<TraceId> errors = expected(t -> SearchTraces.start(t) <= to && SearchTraces.end(t) >= from
                && anySpan(t, s -> statusCode(s.span()) == 2));
        assertThat(new TreeSet<>(ids(fetch(new FetchRequest(predicate("{ status = error }"), from, to, () -> false), new FetchStats()))))
                .isEqualTo(errors);
        assertThat(fetch(FetchRequest.all(SearchTraces.BASE - 10, SearchTraces.BASE - 5), new FetchStats())).isEmpty();
        assertThat(new TreeSet<>(ids(fetch(FetchRequest.all(0, 0), new FetchStats())))).isEqualTo(expected(t -> true));
    }

    @Test
    void returnsTracesInIdOrder() {
        List<TraceId> all = new ArrayList<>(ids(fetch(FetchRequest.all(0, 0), new FetchStats())));
        assertThat(all).isSorted().hasSize(dataset.size());
    }

    @Test
    void stopsWhenTheSinkSaysSo() {
        AtomicInteger seen = new AtomicInteger();
        new BlockSearcher(reader).fetch(new FetchRequest(predicate("{ span.http.method = \"GET\" }"), 0, 0, () -> false), new FetchStats(),
                t -> seen.incrementAndGet() < 3);
        assertThat(seen).hasValue(3);
    }

    @Test
    void stopsWhenCancelled() throws Exception {
        reader.index();
        FetchStats stats = new FetchStats();
        assertThat(fetch(new FetchRequest(TracePredicate.ALL, 0, 0, () -> true), stats)).isEmpty();
        assertThat(stats.inspectedBytes()).isZero();
        AtomicInteger polls = new AtomicInteger();
        FetchStats partial = new FetchStats();
        List<EvalTrace> some = fetch(new FetchRequest(predicate("{ status = error }"), 0, 0, () -> polls.incrementAndGet() > 10), partial);
        assertThat(some).hasSizeLessThan(spansWhere(s -> statusCode(s.span()) == 2).size());
        assertThat(partial.inspectedBytes()).isPositive().isLessThan(dataSize() / 2);
    }

    @Test
    void shardsCoverTheBlockWithoutSplittingTraces() throws Exception {
        BlockSearcher whole = new BlockSearcher(reader);
        List<BlockSearcher.Shard> shards = whole.shards(dataSize() / 7);
        assertThat(shards).hasSizeBetween(5, 9);
        assertThat(shards.get(0).firstBatch()).isZero();
        assertThat(shards.get(shards.size() - 1).endBatch()).isEqualTo(whole.batchCount());
        long bytes = 0;
        BlockIndex idx = reader.index();
        for (int i = 0; i < shards.size(); i++) {
            BlockSearcher.Shard s = shards.get(i);
            if (i > 0) {
                assertThat(s.firstBatch()).isEqualTo(shards.get(i - 1).endBatch());
                assertThat(idx.batches().get(s.firstBatch()).firstTraceId()).isNotEqualTo(idx.batches().get(s.firstBatch() - 1).lastTraceId());
            }
            bytes += s.bytes();
        }
        long total = 0;
        for (int b = 0; b < whole.batchCount(); b++) {
            total += whole.batchBytes(b);
        }
        assertThat(bytes).isEqualTo(total);
        String query = "{ span.http.status_code = 500 && kind = client }";
        List<TraceId> viaShards = new ArrayList<>();
        for (BlockSearcher.Shard s : shards) {
            whole.shard(s).fetch(new FetchRequest(predicate(query), 0, 0, () -> false), new FetchStats(), t -> viaShards.add(t.id()));
        }
        assertThat(viaShards).containsExactlyElementsOf(ids(query));
        assertThat(whole.shard(shards.get(1)).cacheKey()).startsWith(meta.blockId().toString()).isNotEqualTo(whole.cacheKey());
    }

    @Test
    void concurrentFetchesAgree() throws Exception {
        String query = "{ span.attr.int > 50 && status = error }";
        Set<TraceId> want = ids(query);
        List<Thread> threads = new ArrayList<>();
        List<Set<TraceId>> results = java.util.Collections.synchronizedList(new ArrayList<>());
        BlockSearcher searcher = new BlockSearcher(reader);
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                Set<TraceId> got = new LinkedHashSet<>();
                searcher.fetch(new FetchRequest(predicate(query), 0, 0, () -> false), new FetchStats(), t -> got.add(t.id()));
                results.add(got);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r).isEqualTo(want));
    }

    @Test
    void spanIdsAreEightBytes() {
        // The rows keep 8-byte span IDs; a sanity check of the hex helper used above.
        Span s = SearchTraces.spans(dataset.get(0)).get(0).span();
        assertThat(Long.toUnsignedString(SpanIds.toLong(s.getSpanId()), 16)).isEqualTo(hex(s.getSpanId()).replaceFirst("^0+", ""));
    }
}
