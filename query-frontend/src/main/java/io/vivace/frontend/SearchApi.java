package io.vivace.frontend;

import com.linecorp.armeria.common.QueryParams;
import io.vivace.common.config.GoDuration;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.model.tempopb.MetadataMetrics;
import io.vivace.model.tempopb.SearchMetrics;
import io.vivace.model.tempopb.SearchRequest;
import io.vivace.model.tempopb.SearchResponse;
import io.vivace.model.tempopb.SearchTagValuesRequest;
import io.vivace.model.tempopb.SearchTagValuesResponse;
import io.vivace.model.tempopb.SearchTagValuesV2Response;
import io.vivace.model.tempopb.SearchTagsRequest;
import io.vivace.model.tempopb.SearchTagsResponse;
import io.vivace.model.tempopb.SearchTagsV2Response;
import io.vivace.model.tempopb.SearchTagsV2Scope;
import io.vivace.model.tempopb.TraceSearchMetadata;
import io.vivace.traceql.TraceQL;
import io.vivace.traceql.TraceQLException;
import io.vivace.traceql.TraceQLParser;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.GoFormat;
import io.vivace.traceql.engine.SearchJob;
import io.vivace.traceql.engine.SearchOptions;
import io.vivace.traceql.engine.TagRequest;
import io.vivace.traceql.engine.TagValue;
import io.vivace.traceql.engine.TraceSearch;
import io.vivace.traceql.plan.AutocompleteFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Search, tag names and tag values, independent of transport: the HTTP routes and the streaming gRPC
 * service both parse their request into the records here and call the same methods. Every user
 * error is a {@link VivaceException} with INVALID_ARGUMENT (400 / InvalidArgument) and Tempo's
 * message.
 */
final class SearchApi {
    /** The intrinsic scope of the v2 tag-names API, fixed and in Tempo's order (api.md 3.10). */
    static final List<String> INTRINSIC_TAGS = List.of("duration", "name", "status", "statusMessage", "kind",
            "rootServiceName", "rootName", "traceDuration", "event:name", "event:timeSinceStart", "link:spanID",
            "link:traceID", "instrumentation:name", "instrumentation:version", "trace:id", "span:id", "span:parentID",
            "span:status", "span:statusMessage", "span:duration", "span:name", "span:kind", "trace:rootName",
            "trace:rootService", "trace:duration");

    private static final Set<String> RESERVED = Set.of("q", "tags", "minDuration", "maxDuration", "limit", "spss",
            "start", "end", "mode", "blockID", "startPage", "pagesToSearch", "encoding", "indexPageSize", "totalRecords",
            "dataEncoding", "version", "size", "footerSize");

    /** A validated search request. */
    record SearchParams(String query, Map<String, String> tags, long minDurationNanos, long maxDurationNanos, int limit,
            int spss, long startSeconds, long endSeconds) {
    }

    /** A validated tag-names or tag-values request. */
    record TagParams(String scope, FieldReference tag, String q, long startSeconds, long endSeconds, int limit) {
    }

    private final SearchRunner runner;
    private final QueryFrontendConfig.Search config;
    private final Duration timeout;

    SearchApi(SearchRunner runner, QueryFrontendConfig.Search config, Duration timeout) {
        this.runner = runner;
        this.config = config;
        this.timeout = timeout;
    }

    // ---------------------------------------------------------------- parsing

    /** Parses the HTTP parameters of {@code /api/search}. */
    SearchParams searchParams(QueryParams p) {
        String q = p.get("q");
        String tagsText = p.get("tags");
        boolean legacy = q == null && tagsText == null && p.get("start") == null && p.get("end") == null;
        Map<String, String> tags = new LinkedHashMap<>();
        if (q != null && tagsText != null) {
            throw invalid("invalid request: can't specify tags and q in the same query");
        }
        if (tagsText != null) {
            tags.putAll(Logfmt.parse(tagsText));
        } else if (legacy) {
            for (String name : p.names()) {
                if (!RESERVED.contains(name)) {
                    tags.put(name, p.get(name));
                }
            }
        }
        long min = duration(p.get("minDuration"), "minDuration");
        long max = duration(p.get("maxDuration"), "maxDuration");
        String limitText = p.get("limit");
        int limit = limitText == null ? 0 : (int) Math.min(Integer.MAX_VALUE, uint32(limitText, "limit"));
        if (limitText != null && limit == 0) {
            throw invalid("invalid limit: must be a positive number");
        }
        String spssText = p.get("spss");
        int spss = spssText == null ? SearchOptions.DEFAULT.spansPerSpanSet() : (int) Math.min(Integer.MAX_VALUE, uint32(spssText, "spss"));
        long start = p.get("start") == null ? 0 : uint32(p.get("start"), "start");
        long end = p.get("end") == null ? 0 : uint32(p.get("end"), "end");
        return validate(new SearchParams(q, tags, min, max, limit, spss, start, end));
    }

    /** Converts a streaming {@code SearchRequest}; zero fields take their defaults. */
    SearchParams searchParams(SearchRequest r) {
        String q = r.getQuery().isEmpty() ? null : r.getQuery();
        if (q != null && r.getTagsCount() > 0) {
            throw invalid("invalid request: can't specify tags and q in the same query");
        }
        int spss = r.getSpansPerSpanSet() == 0 ? SearchOptions.DEFAULT.spansPerSpanSet() : r.getSpansPerSpanSet();
        return validate(new SearchParams(q, new LinkedHashMap<>(r.getTagsMap()),
                TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(r.getMinDurationMs())),
                TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(r.getMaxDurationMs())),
                (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(r.getLimit())),
                spss, Integer.toUnsignedLong(r.getStart()), Integer.toUnsignedLong(r.getEnd())));
    }

    private SearchParams validate(SearchParams p) {
        int limit = p.limit() == 0 ? config.defaultResultLimit() : p.limit();
        if (config.maxResultLimit() > 0 && limit > config.maxResultLimit()) {
            throw invalid("limit " + limit + " exceeds max limit " + config.maxResultLimit());
        }
        if (config.maxSpansPerSpanSet() > 0 && p.spss() > config.maxSpansPerSpanSet()) {
            throw invalid("spans per span set exceeds " + config.maxSpansPerSpanSet() + ". received " + p.spss());
        }
        if (p.maxDurationNanos() != 0 && p.maxDurationNanos() < p.minDurationNanos()) {
            throw invalid("invalid maxDuration: must be greater than minDuration");
        }
        checkRange(p.startSeconds(), p.endSeconds());
        return new SearchParams(p.query(), p.tags(), p.minDurationNanos(), p.maxDurationNanos(), limit, p.spss(),
                p.startSeconds(), p.endSeconds());
    }

    private void checkRange(long start, long end) {
        if (start != 0 || end != 0) {
            if (end <= start) {
                throw invalid("http parameter start must be before end. received start=" + start + " end=" + end);
            }
            Duration max = config.maxDuration();
            if (!max.isZero() && end - start > max.toSeconds()) {
                throw invalid("range specified by start and end exceeds " + GoFormat.duration(max.toNanos()) + ". received start=" + start
                        + " end=" + end);
            }
        }
    }

    /** Parses the HTTP parameters of the tag-name routes. */
    TagParams tagParams(QueryParams p) {
        String scope = p.get("scope", "");
        checkScope(scope);
        return tagParams(scope, null, p.get("q"), p.get("start"), p.get("end"), p.get("limit"));
    }

    /** Parses the HTTP parameters of the tag-value routes. */
    TagParams tagValueParams(String rawName, boolean v2, QueryParams p) {
        return tagParams("", tagField(rawName, v2), p.get("q"), p.get("start"), p.get("end"), p.get("limit"));
    }

    /** Converts a streaming {@code SearchTagsRequest}. */
    TagParams tagParams(SearchTagsRequest r) {
        checkScope(r.getScope());
        return validateTags(new TagParams(r.getScope(), null, r.getQuery(), Integer.toUnsignedLong(r.getStart()),
                Integer.toUnsignedLong(r.getEnd()), (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(r.getMaxTagsPerScope()))));
    }

    /** Converts a streaming {@code SearchTagValuesRequest}. */
    TagParams tagValueParams(SearchTagValuesRequest r, boolean v2) {
        return validateTags(new TagParams("", tagField(r.getTagName(), v2), r.getQuery(), Integer.toUnsignedLong(r.getStart()),
                Integer.toUnsignedLong(r.getEnd()), (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(r.getMaxTagValues()))));
    }

    private TagParams tagParams(String scope, FieldReference tag, String q, String start, String end, String limit) {
        return validateTags(new TagParams(scope, tag, q, start == null ? 0 : uint32(start, "start"),
                end == null ? 0 : uint32(end, "end"), limit == null ? 0 : (int) Math.min(Integer.MAX_VALUE, uint32(limit, "limit"))));
    }

    private TagParams validateTags(TagParams p) {
        checkRange(p.startSeconds(), p.endSeconds());
        return p;
    }

    private static void checkScope(String scope) {
        if (!scope.isEmpty() && !scope.equals("none") && !scope.equals("intrinsic") && scopeOf(scope) == null) {
            throw invalid("invalid scope: " + scope);
        }
    }

    private static AttributeScope scopeOf(String word) {
        for (AttributeScope s : AttributeScope.values()) {
            if (s != AttributeScope.NONE && s.word().equals(word)) {
                return s;
            }
        }
        return null;
    }

    /** The field of a tag-values request: v2 takes TraceQL identifiers, v1 bare attribute names. */
    static FieldReference tagField(String name, boolean v2) {
        if (name == null || name.isEmpty()) {
            throw invalid("please provide a non-empty tagName");
        }
        if (!v2) {
            Intrinsic i = Intrinsic.bySpelling(name).orElse(null);
            if (i != null && i.unscopedName().isPresent() && i != Intrinsic.PARENT) {
                return new IntrinsicField(i);
            }
            return Attribute.unscoped(name);
        }
        try {
            FieldReference f = TraceQLParser.parseFieldReference(name);
            if (f instanceof Attribute a && a.parent() || f instanceof IntrinsicField i && i.intrinsic() == Intrinsic.PARENT) {
                throw invalid("please provide a valid tagName: tag name is not valid intrinsic or scoped attribute");
            }
            return f;
        } catch (TraceQLException | IllegalArgumentException e) {
            throw invalid("please provide a valid tagName: tag name is not valid intrinsic or scoped attribute");
        }
    }

    // ---------------------------------------------------------------- search

    /**
     * Runs a search.
     *
     * @param diffs receives progress messages (new traces and cumulative metrics) while jobs
     *     complete, at most every 500 ms; {@code null} for none
     */
    SearchResponse search(List<String> tenants, SearchParams p, Consumer<SearchResponse> diffs, BooleanSupplier cancelled) {
        Query query = compile(p);
        if (query.isMetrics()) {
            throw invalid("invalid TraceQL query: a metrics query cannot be used in search; use /api/metrics/query_range");
        }
        SearchOptions options = new SearchOptions(p.spss(), p.minDurationNanos(), p.maxDurationNanos());
        TraceSearch search = TraceSearch.prepare(query, options);
        SearchRunner.Progress progress = new SearchRunner.Progress();
        long startNanos = TimeUnit.SECONDS.toNanos(p.startSeconds());
        long endNanos = TimeUnit.SECONDS.toNanos(p.endSeconds());
        boolean blocks = p.startSeconds() != 0 || p.endSeconds() != 0;
        String key = query + "\u0000" + p.spss() + "\u0000" + p.minDurationNanos() + "\u0000" + p.maxDurationNanos();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SearchJob> jobs = runner.jobs(tenants, startNanos, endNanos, blocks);
        AtomicBoolean finished = new AtomicBoolean();
        Thread reporter = null;
        if (diffs != null) {
            reporter = Thread.ofVirtual().name("search-progress").start(() -> {
                Set<String> sent = new HashSet<>();
                while (!finished.get()) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (finished.get()) {
                        return;
                    }
                    SearchResponse.Builder diff = SearchResponse.newBuilder().setMetrics(metrics(progress));
                    for (TraceSearchMetadata t : progress.results.get()) {
                        if (sent.add(t.getTraceID())) {
                            diff.addTraces(t);
                        }
                    }
                    diffs.accept(diff.build());
                }
            });
        }
        List<TraceSearchMetadata> results;
        try {
            results = runner.run(jobs, search, key, startNanos, endNanos, p.limit(), progress, cancelled, deadline);
        } finally {
            finished.set(true);
            if (reporter != null) {
                reporter.interrupt();
                try {
                    reporter.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return SearchResponse.newBuilder().addAllTraces(results).setMetrics(metrics(progress)).build();
    }

    private static SearchMetrics metrics(SearchRunner.Progress progress) {
        FetchStats s = progress.stats;
        return SearchMetrics.newBuilder()
                .setInspectedTraces((int) Math.min(Integer.MAX_VALUE, s.inspectedTraces()))
                .setInspectedBytes(s.inspectedBytes())
                .setInspectedSpans(s.inspectedSpans())
                .setTotalBlocks(progress.totalBlocks)
                .setCompletedJobs(progress.completedJobs.get())
                .setTotalJobs(progress.totalJobs)
                .setTotalBlockBytes(progress.totalBlockBytes)
                .build();
    }

    private static Query compile(SearchParams p) {
        String text = p.query();
        if (text == null) {
            text = Logfmt.toTraceQL(p.tags());
        }
        try {
            return TraceQL.compile(text);
        } catch (TraceQLException e) {
            throw invalid("invalid TraceQL query: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- tags

    /** Tag names per scope, in the v2 shape (v1 flattens it). */
    SearchTagsV2Response tagNames(List<String> tenants, TagParams p, BooleanSupplier cancelled) {
        String scope = p.scope();
        Map<AttributeScope, Set<String>> found = new EnumMap<>(AttributeScope.class);
        Set<AttributeScope> wanted = new LinkedHashSet<>();
        if (scope.isEmpty() || scope.equals("none")) {
            wanted.addAll(List.of(AttributeScope.RESOURCE, AttributeScope.SPAN, AttributeScope.EVENT, AttributeScope.LINK,
                    AttributeScope.INSTRUMENTATION));
        } else if (!scope.equals("intrinsic")) {
            wanted.add(scopeOf(scope));
        }
        for (AttributeScope s : wanted) {
            found.put(s, new ConcurrentHashMap<String, Boolean>().keySet(Boolean.TRUE));
        }
        SpansetFilter filter = AutocompleteFilter.extract(p.q()).orElse(null);
        SearchRunner.Progress progress = new SearchRunner.Progress();
        int limit = p.limit();
        if (!wanted.isEmpty()) {
            runTagJobs(tenants, p, progress, cancelled, (job, request, stats, stop) -> job.source().tagNames(request, stats, (s, name) -> {
                Set<String> names = found.get(s);
                if (names != null && (limit == 0 || names.size() < limit)) {
                    names.add(name);
                }
                return !stop.getAsBoolean() && (limit == 0 || !allFull(found, limit));
            }), wanted, null, filter);
        }
        SearchTagsV2Response.Builder b = SearchTagsV2Response.newBuilder();
        if (scope.isEmpty() || scope.equals("none") || scope.equals("intrinsic")) {
            b.addScopes(SearchTagsV2Scope.newBuilder().setName("intrinsic").addAllTags(INTRINSIC_TAGS));
        }
        for (AttributeScope s : wanted) {
            Set<String> names = found.get(s);
            if (!names.isEmpty()) {
                b.addScopes(SearchTagsV2Scope.newBuilder().setName(s.word()).addAllTags(new TreeSet<>(names)));
            }
        }
        return b.setMetrics(metadataMetrics(progress)).build();
    }

    /** The v1 shape: every name once, sorted; intrinsics only when asked for. */
    SearchTagsResponse tagNamesV1(List<String> tenants, TagParams p, BooleanSupplier cancelled) {
        SearchTagsV2Response v2 = tagNames(tenants, p, cancelled);
        Set<String> all = new TreeSet<>();
        v2.getScopesList().forEach(s -> {
            if (!s.getName().equals("intrinsic") || p.scope().equals("intrinsic")) {
                all.addAll(s.getTagsList());
            }
        });
        return SearchTagsResponse.newBuilder().addAllTagNames(all).setMetrics(v2.getMetrics()).build();
    }

    /** Typed tag values (v2). */
    SearchTagValuesV2Response tagValues(List<String> tenants, TagParams p, BooleanSupplier cancelled) {
        Set<TagValue> values = ConcurrentHashMap.newKeySet();
        SpansetFilter filter = AutocompleteFilter.extract(p.q()).orElse(null);
        SearchRunner.Progress progress = new SearchRunner.Progress();
        int limit = p.limit();
        AtomicInteger size = new AtomicInteger();
        runTagJobs(tenants, p, progress, cancelled, (job, request, stats, stop) -> job.source().tagValues(request, stats, v -> {
            if (!v.value().isEmpty() && (limit == 0 || size.get() < limit) && values.add(v)) {
                size.incrementAndGet();
            }
            return !stop.getAsBoolean() && (limit == 0 || size.get() < limit);
        }), Set.of(), p.tag(), filter);
        List<TagValue> sorted = new ArrayList<>(values);
        sorted.sort((a, b) -> {
            int c = a.type().compareTo(b.type());
            return c != 0 ? c : a.value().compareTo(b.value());
        });
        SearchTagValuesV2Response.Builder b = SearchTagValuesV2Response.newBuilder();
        for (TagValue v : sorted) {
            b.addTagValues(io.vivace.model.tempopb.TagValue.newBuilder().setType(v.type()).setValue(v.value()));
        }
        return b.setMetrics(metadataMetrics(progress)).build();
    }

    /** Untyped tag values (v1): the string renderings, each once, sorted. */
    SearchTagValuesResponse tagValuesV1(List<String> tenants, TagParams p, BooleanSupplier cancelled) {
        SearchTagValuesV2Response v2 = tagValues(tenants, p, cancelled);
        Set<String> all = new TreeSet<>();
        v2.getTagValuesList().forEach(v -> all.add(v.getValue()));
        return SearchTagValuesResponse.newBuilder().addAllTagValues(all).setMetrics(v2.getMetrics()).build();
    }

    private static boolean allFull(Map<AttributeScope, Set<String>> found, int limit) {
        for (Set<String> s : found.values()) {
            if (s.size() < limit) {
                return false;
            }
        }
        return true;
    }

    @FunctionalInterface
    private interface TagJob {
        void run(SearchJob job, TagRequest request, FetchStats stats, BooleanSupplier stop);
    }

    private void runTagJobs(List<String> tenants, TagParams p, SearchRunner.Progress progress, BooleanSupplier cancelled,
            TagJob body, Set<AttributeScope> scopes, FieldReference tag, SpansetFilter filter) {
        long startNanos = TimeUnit.SECONDS.toNanos(p.startSeconds());
        long endNanos = TimeUnit.SECONDS.toNanos(p.endSeconds());
        boolean blocks = p.startSeconds() != 0 || p.endSeconds() != 0;
        List<SearchJob> jobs = runner.jobs(tenants, startNanos, endNanos, blocks);
        SearchRunner.account(jobs, progress);
        long deadline = System.nanoTime() + timeout.toNanos();
        BooleanSupplier stop = () -> cancelled.getAsBoolean() || System.nanoTime() > deadline;
        TagRequest request = new TagRequest(scopes, tag, filter, startNanos, endNanos, stop);
        for (SearchJob job : jobs) {
            if (stop.getAsBoolean()) {
                break;
            }
            FetchStats stats = new FetchStats();
            body.run(job, request, stats, stop);
            progress.stats.add(stats);
            progress.completedJobs.incrementAndGet();
        }
        if (System.nanoTime() > deadline) {
            throw new VivaceException(ErrorCategory.DEADLINE_EXCEEDED, "timeout",
                    "unable to process request in the configured timeout: the tag lookup ran longer than query_frontend.api_timeout");
        }
    }

    private static MetadataMetrics metadataMetrics(SearchRunner.Progress progress) {
        return MetadataMetrics.newBuilder()
                .setInspectedBytes(progress.stats.inspectedBytes())
                .setTotalJobs(progress.totalJobs)
                .setCompletedJobs(progress.completedJobs.get())
                .setTotalBlocks(progress.totalBlocks)
                .setTotalBlockBytes(progress.totalBlockBytes)
                .build();
    }

    // ---------------------------------------------------------------- helpers

    static VivaceException invalid(String message) {
        return new VivaceException(ErrorCategory.INVALID_ARGUMENT, "bad_request", message);
    }

    private static long duration(String text, String name) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            Duration d = GoDuration.parse(text);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d.toNanos();
        } catch (RuntimeException e) {
            throw invalid("invalid " + name + ": " + text + " (expected: a duration such as 100ms, 1.5s or 2m)");
        }
    }

    private static long uint32(String text, String name) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException("out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid("invalid " + name + ": " + text + " (expected: an unsigned 32-bit integer"
                    + (name.equals("start") || name.equals("end") ? ", unix seconds" : "") + ")");
        }
    }
}
