package io.vivace.traceql.engine.testing;

import static io.vivace.traceql.engine.testing.SearchDataset.BASE;
import static io.vivace.traceql.engine.testing.SearchDataset.MINUTE;
import static io.vivace.traceql.engine.testing.SearchDataset.MS;
import static io.vivace.traceql.engine.testing.SearchDataset.spanIdHex;
import static io.vivace.traceql.engine.testing.SearchDataset.traceIdHex;
import static io.vivace.traceql.engine.testing.SearchDataset.traceStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.tempopb.ServiceStats;
import io.vivace.model.tempopb.Span;
import io.vivace.model.tempopb.SpanSet;
import io.vivace.model.tempopb.TraceSearchMetadata;
import io.vivace.traceql.TraceQL;
import io.vivace.traceql.TraceQLParser;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.SearchCombiner;
import io.vivace.traceql.engine.SearchOptions;
import io.vivace.traceql.engine.TagRequest;
import io.vivace.traceql.engine.TagValue;
import io.vivace.traceql.engine.TraceQLExecutionException;
import io.vivace.traceql.engine.TraceSearch;
import io.vivace.traceql.engine.TraceSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TraceQL search conformance kit: every {@link TraceSource} (in-memory, storage blocks, an
 * ingester's live traces) runs these tests over {@link SearchDataset} by subclassing and
 * implementing {@link #sourceOf}. Expected results were worked out by hand from the dataset's
 * construction; {@code corpus/search.txt} holds most of them, the methods below the rest (response
 * fields, options, time ranges, ordering, hints, errors, tag names and values).
 *
 * <p>A search runs as the query path does: {@code TraceSearch.prepare}, {@code source.fetch} with
 * the search's request, {@code evaluate} on every trace, results combined by a {@link
 * SearchCombiner}. Assertions look at the combined results only, so a source may deliver a trace in
 * several pieces (each piece is evaluated on its own and the combiner merges them); for this
 * dataset every trace is one piece in one source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SearchConformanceSuite {
    private TraceSource source;

    /** Builds the source under test holding {@code data}; called once per test class. */
    protected abstract TraceSource sourceOf(List<ResourceSpans> data);

    @BeforeAll
    void createSource() {
        source = sourceOf(SearchDataset.resourceSpans());
    }

    /** The source under test. */
    protected final TraceSource source() {
        return source;
    }

    // ---- running searches ----------------------------------------------------------------------

    /** Searches without time range or limit, all matched spans listed. */
    protected final List<TraceSearchMetadata> search(String query) {
        return search(query, new SearchOptions(0, 0, 0), 0, 0, 0);
    }

    /** Searches like the query path does. */
    protected final List<TraceSearchMetadata> search(String query, SearchOptions options, long startNanos, long endNanos, int limit) {
        TraceSearch search = TraceSearch.prepare(TraceQL.compile(query), options);
        SearchCombiner combiner = new SearchCombiner(limit, search.mostRecent());
        FetchStats stats = new FetchStats();
        source.fetch(search.request(startNanos, endNanos, () -> false), stats, t -> {
            search.evaluate(t).ifPresent(combiner::add);
            return !combiner.isComplete();
        });
        return combiner.results();
    }

    /** The names of the traces in {@code results}, failing on unknown IDs. */
    protected static Set<String> names(List<TraceSearchMetadata> results) {
        Set<String> out = new TreeSet<>();
        for (TraceSearchMetadata t : results) {
            String name = SearchDataset.traceName(t.getTraceID());
            if (name == null) {
                fail("unknown trace ID in results: " + t.getTraceID());
            }
            out.add(name);
        }
        return out;
    }

    private static TraceSearchMetadata find(List<TraceSearchMetadata> results, String name) {
        return results.stream().filter(t -> t.getTraceID().equals(traceIdHex(name))).findFirst()
                .orElseThrow(() -> new AssertionError("trace " + name + " missing from " + names(results)));
    }

    private static Map<String, AnyValue> attributes(List<KeyValue> kvs) {
        Map<String, AnyValue> out = new HashMap<>();
        kvs.forEach(kv -> out.put(kv.getKey(), kv.getValue()));
        return out;
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static AnyValue integer(long v) {
        return AnyValue.newBuilder().setIntValue(v).build();
    }

    // ---- the corpus ----------------------------------------------------------------------------

    /** One expected trace of a corpus line. */
    record Expected(String trace, Integer spansets, Set<Integer> spans) {
    }

    static Stream<Arguments> corpus() {
        try (InputStream in = SearchConformanceSuite.class.getResourceAsStream("/corpus/search.txt")) {
            if (in == null) {
                throw new IllegalStateException("corpus/search.txt is not on the class path");
            }
            List<Arguments> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != 2) {
                    throw new IllegalStateException("corpus line: " + line + " (expected: query<TAB>expected)");
                }
                rows.add(Arguments.of(fields[0], fields[1]));
            }
            return rows.stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the expected column of a corpus line; null for "*" (every trace). */
    static List<Expected> parseExpected(String text) {
        if (text.equals("*")) {
            return null;
        }
        List<Expected> out = new ArrayList<>();
        if (text.equals("-")) {
            return out;
        }
        for (String item : text.trim().split(" +")) {
            String rest = item;
            Set<Integer> spans = null;
            int colon = rest.indexOf(':');
            if (colon >= 0) {
                spans = new TreeSet<>();
                for (String j : rest.substring(colon + 1).split(",")) {
                    spans.add(Integer.parseInt(j));
                }
                rest = rest.substring(0, colon);
            }
            Integer spansets = null;
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                spansets = Integer.parseInt(rest.substring(hash + 1));
                rest = rest.substring(0, hash);
            }
            for (String trace : expandTraceNames(rest)) {
                out.add(new Expected(trace, spansets, spans));
            }
        }
        return out;
    }

    private static List<String> expandTraceNames(String s) {
        if (!s.startsWith("r{")) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        for (String part : s.substring(2, s.length() - 1).split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            for (int i = from; i <= to; i++) {
                out.add("r" + i);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void corpusQuery(String query, String expectedText) {
        List<Expected> expected = parseExpected(expectedText);
        List<TraceSearchMetadata> results = search(query);
        if (expected == null) {
            assertThat(names(results)).as(query).containsExactlyInAnyOrderElementsOf(SearchDataset.traceNames());
            return;
        }
        assertThat(names(results)).as(query).containsExactlyInAnyOrderElementsOf(expected.stream().map(Expected::trace).toList());
        for (Expected e : expected) {
            TraceSearchMetadata t = find(results, e.trace());
            for (SpanSet ss : t.getSpanSetsList()) {
                assertThat(ss.getSpansCount()).as("%s: spans listed in a spanset of %s (spss 0 lists all)", query, e.trace())
                        .isEqualTo(ss.getMatched());
            }
            if (e.spansets() != null) {
                assertThat(t.getSpanSetsCount()).as("%s: spansets of %s", query, e.trace()).isEqualTo(e.spansets());
            }
            if (e.spans() != null) {
                Set<String> actual = t.getSpanSetsList().stream().flatMap(ss -> ss.getSpansList().stream()).map(Span::getSpanID)
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<String> wanted = e.spans().stream().map(j -> spanIdHex(e.trace(), j)).collect(Collectors.toCollection(TreeSet::new));
                assertThat(actual).as("%s: spans matched in %s", query, e.trace()).isEqualTo(wanted);
            }
        }
    }

    // ---- response fields ------------------------------------------------------------------------

    @Test
    void resultCarriesTraceFieldsAndReferencedAttributes() {
        TraceSearchMetadata t = find(search("{ name = \"db.query\" && span.db.rows = 21 }"), "r7");
        assertThat(t.getTraceID()).isEqualTo("7ace0000000000071000000000000007");
        assertThat(t.getRootServiceName()).isEqualTo("frontend");
        assertThat(t.getRootTraceName()).isEqualTo("GET /api/items");
        assertThat(t.getStartTimeUnixNano()).isEqualTo(traceStart("r7"));
        assertThat(t.getDurationMs()).isEqualTo(107);
        assertThat(t.getSpanSetsCount()).isEqualTo(1);
        assertThat(t.getSpanSet()).isEqualTo(t.getSpanSets(0));
        SpanSet ss = t.getSpanSets(0);
        assertThat(ss.getMatched()).isEqualTo(1);
        assertThat(ss.getAttributesList()).isEmpty();
        Span s = ss.getSpans(0);
        assertThat(s.getSpanID()).isEqualTo("0000000000000706");
        assertThat(s.getName()).isEqualTo("db.query");
        assertThat(s.getStartTimeUnixNano()).isEqualTo(traceStart("r7") + 25 * MS);
        assertThat(s.getDurationNanos()).isEqualTo(20 * MS);
        assertThat(s.getAttributesList()).containsExactly(KeyValue.newBuilder().setKey("db.rows").setValue(integer(21)).build());
    }

    @Test
    void spanIntrinsicsAreReportedAsStrings() {
        TraceSearchMetadata t = find(search("{ status = error && kind = server && statusMessage != \"\" }"), "r4");
        Span s = t.getSpanSets(0).getSpans(0);
        assertThat(s.getSpanID()).isEqualTo(spanIdHex("r4", 4));
        assertThat(attributes(s.getAttributesList())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "status", str("error"), "kind", str("server"), "statusMessage", str("cart unavailable")));
    }

    @Test
    void selectAddsAttributesToResultSpans() {
        TraceSearchMetadata t = find(search("{ name = \"auth.verify\" } | select(span.risk.score, resource.deployment.environment, "
                + "instrumentation:name)"), "r13");
        Map<String, AnyValue> a = attributes(t.getSpanSets(0).getSpans(0).getAttributesList());
        assertThat(a).containsEntry("risk.score", AnyValue.newBuilder().setDoubleValue(1.3).build())
                .containsEntry("deployment.environment", str("staging"))
                .containsEntry("instrumentation:name", str("auth-lib"));
    }

    @Test
    void serviceStatsCountEverySpanOfTheTrace() {
        List<TraceSearchMetadata> results = search("{ name = \"cart.get\" || name = \"step.write\" }");
        assertThat(find(results, "r20").getServiceStatsMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "frontend", stats(3, 1), "auth", stats(1, 0), "cart", stats(3, 1)));
        assertThat(find(results, "r3").getServiceStatsMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "frontend", stats(3, 0), "auth", stats(1, 0), "cart", stats(3, 0)));
        assertThat(find(results, "twoRoots").getServiceStatsMap()).containsExactlyInAnyOrderEntriesOf(Map.of("batch", stats(4, 1)));
    }

    private static ServiceStats stats(int spans, int errors) {
        return ServiceStats.newBuilder().setSpanCount(spans).setErrorCount(errors).build();
    }

    @Test
    void traceWithoutRootAndShortTraceIds() {
        List<TraceSearchMetadata> results = search("{ resource.service.name = \"worker\" || resource.service.name = \"legacy\""
                + " || resource.service.name = \"types\" }");
        TraceSearchMetadata orphans = find(results, "orphans");
        assertThat(orphans.getTraceID()).isEqualTo("a0a0000000000000000000000000031");
        assertThat(orphans.getRootServiceName()).isEqualTo(SearchCombiner.NO_ROOT);
        assertThat(orphans.getRootTraceName()).isEmpty();
        assertThat(orphans.getDurationMs()).isEqualTo(55);
        assertThat(find(results, "id64").getTraceID()).isEqualTo("123456789abcdef0");
        assertThat(find(results, "types").getTraceID()).isEqualTo("f00000000000000000000000000035");
    }

    @Test
    void twoRootsReportTheFirstRoot() {
        TraceSearchMetadata t = find(search("{ name = \"step.write\" }"), "twoRoots");
        assertThat(t.getRootServiceName()).isEqualTo("batch");
        assertThat(t.getRootTraceName()).isEqualTo("job.import");
        assertThat(t.getDurationMs()).isEqualTo(85);
    }

    @Test
    void spansPerSpanSetLimitsListedSpansInStartOrder() {
        TraceSearchMetadata t = find(search("{ resource.service.name = \"frontend\" }", new SearchOptions(2, 0, 0), 0, 0, 0), "r1");
        assertThat(t.getSpanSets(0).getMatched()).isEqualTo(3);
        assertThat(t.getSpanSets(0).getSpansList()).extracting(Span::getSpanID).containsExactly(spanIdHex("r1", 0), spanIdHex("r1", 1));
        TraceSearchMetadata d = find(search("{ }", SearchOptions.DEFAULT, 0, 0, 0), "r2");
        assertThat(d.getSpanSets(0).getMatched()).isEqualTo(7);
        assertThat(d.getSpanSets(0).getSpansList()).extracting(Span::getSpanID)
                .containsExactly(spanIdHex("r2", 0), spanIdHex("r2", 1), spanIdHex("r2", 2));
    }

    @Test
    void groupKeysAndAggregatesAreSpansetAttributes() {
        TraceSearchMetadata t = find(search("{ status = error } | by(resource.service.name)"), "r20");
        assertThat(t.getSpanSetsList()).extracting(ss -> attributes(ss.getAttributesList()).get("by(resource.service.name)"))
                .containsExactlyInAnyOrder(str("frontend"), str("cart"));
        TraceSearchMetadata c = find(search("{ } | count() > 6"), "r1");
        assertThat(attributes(c.getSpanSets(0).getAttributesList())).containsEntry("count()", integer(7));
        TraceSearchMetadata a = find(search("{ resource.service.name = \"cart\" } | avg(duration) > 25ms"), "r2");
        // (50 + 30 + 2) ms / 3, a duration, rendered as Go does.
        assertThat(attributes(a.getSpanSets(0).getAttributesList())).containsEntry("avg(duration)", str("27.333333ms"));
    }

    // ---- options, time ranges, limits, ordering ------------------------------------------------

    @Test
    void timeRangeSelectsOverlappingTraces() {
        assertThat(names(search("{ }", new SearchOptions(0, 0, 0), BASE + 10 * MINUTE, BASE + 12 * MINUTE, 0)))
                .containsExactlyInAnyOrder("r10", "r11", "r12");
        assertThat(names(search("{ span.http.method = \"GET\" }", new SearchOptions(0, 0, 0), BASE - 25 * 60 * MINUTE, BASE, 0)))
                .containsExactly("archive");
        assertThat(names(search("{ }", new SearchOptions(0, 0, 0), BASE + 30 * MINUTE + 100 * MS, BASE + 31 * MINUTE + MS, 0)))
                .containsExactly("orphans");
    }

    @Test
    void traceDurationBounds() {
        assertThat(names(search("{ }", new SearchOptions(0, 110 * MS, 0), 0, 0, 0)))
                .containsExactlyInAnyOrderElementsOf(expandNames("r{10-24}"));
        assertThat(names(search("{ }", new SearchOptions(0, 0, 10 * MS), 0, 0, 0))).containsExactlyInAnyOrder("id64", "archive");
        assertThat(names(search("{ }", new SearchOptions(0, 50 * MS, 60 * MS), 0, 0, 0))).containsExactlyInAnyOrder("orphans", "kinds");
    }

    private static List<String> expandNames(String s) {
        return parseExpected(s).stream().map(Expected::trace).toList();
    }

    @Test
    void resultsAreNewestFirst() {
        List<String> order = search("{ }").stream().map(t -> SearchDataset.traceName(t.getTraceID())).toList();
        List<String> expected = new ArrayList<>(List.of("events", "types", "kinds", "id64", "partial", "orphans", "twoRoots"));
        for (int i = 24; i >= 1; i--) {
            expected.add("r" + i);
        }
        expected.add("archive");
        assertThat(order).containsExactlyElementsOf(expected);
    }

    @Test
    void limitKeepsThatManyTraces() {
        List<TraceSearchMetadata> results = search("{ status = error }", new SearchOptions(0, 0, 0), 0, 0, 4);
        assertThat(results).hasSize(4);
        assertThat(expandNames("r{4,5,8,10,12,15,16,20,24} twoRoots partial events")).containsAll(names(results));
        assertThat(results).isSortedAccordingTo((a, b) -> Long.compare(b.getStartTimeUnixNano(), a.getStartTimeUnixNano()));
    }

    @Test
    void mostRecentHintKeepsTheNewest() {
        assertThat(search("{ } with(most_recent=true)", new SearchOptions(0, 0, 0), 0, 0, 3))
                .extracting(t -> SearchDataset.traceName(t.getTraceID())).containsExactly("events", "types", "kinds");
        assertThat(search("{ status = error } with(most_recent=true)", new SearchOptions(0, 0, 0), 0, 0, 2))
                .extracting(t -> SearchDataset.traceName(t.getTraceID())).containsExactly("events", "partial");
        assertThat(search("{ span.http.method = \"GET\" } with(most_recent=true)", new SearchOptions(0, 0, 0), 0, 0, 1))
                .extracting(t -> SearchDataset.traceName(t.getTraceID())).containsExactly("r23");
    }

    @Test
    void sourceStopsWhenTheSinkSaysSo() {
        TraceSearch search = TraceSearch.prepare(TraceQL.compile("{ }"), SearchOptions.DEFAULT);
        int[] calls = {0};
        source.fetch(search.request(0, 0, () -> false), new FetchStats(), t -> {
            calls[0]++;
            return false;
        });
        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void sourceCountsWhatItRead() {
        FetchStats stats = new FetchStats();
        TraceSearch search = TraceSearch.prepare(TraceQL.compile("{ }"), SearchOptions.DEFAULT);
        source.fetch(search.request(0, 0, () -> false), stats, t -> true);
        assertThat(stats.inspectedTraces()).isGreaterThan(0);
        assertThat(stats.inspectedSpans()).isGreaterThan(0);
    }

    // ---- run-time errors ---------------------------------------------------------------------------

    @Test
    void executionErrorsFailTheQuery() {
        // ! on nil, array against array, integer division by zero, unary minus on nil.
        for (String q : List.of("{ !span.flag }", "{ span.ports = span.ports }", "{ span.db.rows / 0 > 1 }", "{ -span.neg < 0 }")) {
            assertThatThrownBy(() -> search(q)).as(q).isInstanceOf(TraceQLExecutionException.class);
        }
        assertThatThrownBy(() -> search("({ } | by(resource.service.name)) > ({ })"))
                .isInstanceOf(TraceQLExecutionException.class)
                .hasMessageContaining("spanset operators are not supported for multiple spansets per trace. consider using coalesce()");
    }

    // ---- tag names and values --------------------------------------------------------------------

    private Set<String> tagNames(AttributeScope scope, String filter, long start, long end) {
        Set<String> out = new LinkedHashSet<>();
        SpansetFilter f = filter == null ? null : TraceQLParser.parseSpansetFilter(filter);
        source.tagNames(new TagRequest(Set.of(scope), null, f, start, end, () -> false), new FetchStats(), (s, name) -> {
            assertThat(s).isEqualTo(scope);
            out.add(name);
            return true;
        });
        return out;
    }

    private Set<TagValue> tagValues(String tag, String filter, long start, long end) {
        Set<TagValue> out = new LinkedHashSet<>();
        FieldReference ref = TraceQLParser.parseFieldReference(tag);
        SpansetFilter f = filter == null ? null : TraceQLParser.parseSpansetFilter(filter);
        source.tagValues(new TagRequest(Set.of(), ref, f, start, end, () -> false), new FetchStats(), v -> {
            out.add(v);
            return true;
        });
        return out;
    }

    private static TagValue tv(String type, String value) {
        return new TagValue(type, value);
    }

    @Test
    void tagNamesPerScope() {
        assertThat(tagNames(AttributeScope.SPAN, null, 0, 0)).containsExactlyInAnyOrder("http.method", "http.status_code", "tags",
                "peer.service", "user.id", "ports", "risk.score", "cart.items", "db.system", "db.statement", "db.rows", "cache.hit",
                "cache.ratio", "job.id", "depth", "num", "shared", "empty", "uni", "bin", "kv", "nan", "neg", "big", "multiline", "flag",
                "farr", "barr");
        assertThat(tagNames(AttributeScope.RESOURCE, null, 0, 0)).containsExactlyInAnyOrder("service.name", "deployment.environment",
                "host.name", "telemetry.sdk.language", "shared", "res.only", "num");
        assertThat(tagNames(AttributeScope.EVENT, null, 0, 0)).containsExactlyInAnyOrder("cache.key", "exception.type",
                "exception.message", "msg.size", "msg.id", "ack");
        assertThat(tagNames(AttributeScope.LINK, null, 0, 0)).containsExactlyInAnyOrder("link.type", "batch.size");
        assertThat(tagNames(AttributeScope.INSTRUMENTATION, null, 0, 0)).containsExactlyInAnyOrder("scope.flag", "scope.attr");
    }

    @Test
    void tagNamesOfMatchingSpansOnly() {
        assertThat(tagNames(AttributeScope.SPAN, "{ resource.service.name = \"types\" && name != \"types.root\" }", 0, 0))
                .containsExactlyInAnyOrder("num", "multiline", "uni", "flag", "farr", "barr");
        assertThat(tagNames(AttributeScope.SPAN, "{ kind = producer }", 0, 0)).containsExactlyInAnyOrder("job.id", "depth");
        assertThat(tagNames(AttributeScope.RESOURCE, null, BASE - 25 * 60 * MINUTE, BASE))
                .containsExactlyInAnyOrder("service.name", "deployment.environment");
    }

    @Test
    void tagValuesOfAttributes() {
        assertThat(tagValues("resource.service.name", null, 0, 0)).containsExactlyInAnyOrder(
                TagValue.string("frontend"), TagValue.string("auth"), TagValue.string("cart"), TagValue.string("batch"),
                TagValue.string("worker"), TagValue.string("gateway"), TagValue.string("legacy"), TagValue.string("pipeline"),
                TagValue.string("types"), TagValue.string("mq"), TagValue.string("archive"));
        assertThat(tagValues("span.http.status_code", null, 0, 0)).containsExactlyInAnyOrder(tv("int", "200"), tv("int", "404"),
                tv("int", "500"));
        assertThat(tagValues(".num", null, 0, 0)).containsExactlyInAnyOrder(TagValue.string("200"), tv("int", "200"),
                tv("float", "200.0"), tv("bool", "true"), TagValue.string("res-level"));
        assertThat(tagValues("span.ports", null, 0, 0)).containsExactlyInAnyOrder(tv("int", "80"), tv("int", "443"));
        assertThat(tagValues("span.cache.ratio", "{ span.cache.ratio <= 1 }", 0, 0)).containsExactlyInAnyOrder(tv("float", "0.25"),
                tv("float", "0.5"), tv("float", "0.75"), tv("float", "1.0"));
        assertThat(tagValues("event.msg.size", null, 0, 0)).containsExactlyInAnyOrder(tv("int", "1024"), tv("int", "10"));
        assertThat(tagValues("link.link.type", null, 0, 0)).containsExactlyInAnyOrder(TagValue.string("follows-from"),
                TagValue.string("parent-batch"), TagValue.string("retry"));
        assertThat(tagValues("resource.service.name", null, BASE - 25 * 60 * MINUTE, BASE)).containsExactly(TagValue.string("archive"));
        assertThat(tagValues("span.user.id", "{ span.risk.score > 2.1 }", 0, 0)).containsExactlyInAnyOrder(TagValue.string("u2"),
                TagValue.string("u3"), TagValue.string("u0"));
    }

    @Test
    void tagValuesOfIntrinsics() {
        assertThat(tagValues("status", null, 0, 0)).containsExactlyInAnyOrder(tv("keyword", "error"), tv("keyword", "ok"),
                tv("keyword", "unset"));
        assertThat(tagValues("kind", null, 0, 0)).containsExactlyInAnyOrder(tv("keyword", "unspecified"), tv("keyword", "internal"),
                tv("keyword", "server"), tv("keyword", "client"), tv("keyword", "producer"), tv("keyword", "consumer"));
        assertThat(tagValues("duration", "{ resource.service.name = \"pipeline\" }", 0, 0)).containsExactlyInAnyOrder(
                tv("duration", "60ms"), tv("duration", "49ms"), tv("duration", "38ms"), tv("duration", "27ms"), tv("duration", "16ms"),
                tv("duration", "5ms"));
        assertThat(tagValues("event:name", null, 0, 0)).containsExactlyInAnyOrder(TagValue.string("cache.miss"),
                TagValue.string("exception"), TagValue.string("msg.received"), TagValue.string("msg.acked"));
        assertThat(tagValues("name", "{ resource.service.name = \"batch\" }", 0, 0)).containsExactlyInAnyOrder(
                TagValue.string("job.import"), TagValue.string("step.read"), TagValue.string("job.export"), TagValue.string("step.write"));
        assertThat(tagValues("trace:rootService", "{ kind = producer }", 0, 0)).containsExactlyInAnyOrder(TagValue.string("batch"),
                TagValue.string("pipeline"));
        assertThat(tagValues("statusMessage", null, 0, 0)).containsExactlyInAnyOrder(TagValue.string("internal error"),
                TagValue.string("cart unavailable"), TagValue.string("disk full"), TagValue.string("upstream failed"),
                TagValue.string("handler failed"));
    }
}
