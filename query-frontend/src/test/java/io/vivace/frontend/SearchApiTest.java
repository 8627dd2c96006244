package io.vivace.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.model.tempopb.SearchRequest;
import io.vivace.model.tempopb.SearchResponse;
import io.vivace.model.tempopb.SearchTagValuesRequest;
import io.vivace.model.tempopb.SearchTagValuesV2Response;
import io.vivace.model.tempopb.StreamingQuerierGrpc;
import io.vivace.traceql.engine.SearchBackend;
import io.vivace.traceql.engine.SearchJob;
import io.vivace.traceql.engine.TraceSource;
import io.vivace.traceql.engine.testing.InMemoryTraceSource;
import io.vivace.traceql.engine.testing.SearchDataset;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The search, tag and streaming APIs over the engine's conformance dataset served as one immutable
 * "block" job: the HTTP shapes Grafana decodes, parameter validation, the job cache, the streaming
 * gRPC service on the HTTP port, and the timeout.
 */
class SearchApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Wide enough for the whole dataset (it starts at 1,700,000,000 s). */
    private static final String RANGE = "&start=1699999000&end=1700010000";
    /** r4, r8, … r24: their cart.get span fails (i % 4 == 0). */
    private static final Set<String> CART_ERRORS = names("r4", "r8", "r12", "r16", "r20", "r24");

    private final InMemoryTraceSource dataset = new InMemoryTraceSource(SearchDataset.resourceSpans());
    private final AtomicInteger fetches = new AtomicInteger();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop().join();
        }
    }

    private static Set<String> names(String... names) {
        Set<String> out = new TreeSet<>();
        for (String n : names) {
            out.add(SearchDataset.traceIdHex(n).replaceFirst("^0+", ""));
        }
        return out;
    }

    private void start(Duration timeout, TraceSource source) {
        start(timeout, source, null);
    }

    private void start(Duration timeout, TraceSource source, TraceSource extraBlock) {
        SearchBackend backend = (tenant, from, to, blocks, target) -> {
            List<SearchJob> jobs = new ArrayList<>(List.of(
                    new SearchJob(tenant, null, 0, 0, 0, (request, stats, sink) -> { }),
                    new SearchJob(tenant, "block-1", 12345, SearchDataset.BASE, SearchDataset.BASE + 3_600_000_000_000L, source)));
            if (extraBlock != null) {
                jobs.add(new SearchJob(tenant, "block-2", 999, SearchDataset.BASE, SearchDataset.BASE + 1000, extraBlock));
            }
            return jobs;
        };
        QueryFrontendConfig d = QueryFrontendConfig.defaults();
        QueryFrontend fe = new QueryFrontend(new QueryFrontendConfig(timeout, d.maxOutstandingPerTenant(), d.search()),
                OverridesConfig.defaultConfig(), false, (tenant, id, s, e) -> io.vivace.common.query.TraceResult.empty(), backend,
                registry);
        ServerBuilder sb = Server.builder().http(0);
        fe.bind(sb);
        server = sb.build();
        server.start().join();
    }

    private void start() {
        start(Duration.ofSeconds(30), (request, stats, sink) -> {
            fetches.incrementAndGet();
            dataset.fetch(request, stats, sink);
        });
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.activeLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode search(String q, String extra) throws Exception {
        HttpResponse<String> r = get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + extra);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> order(JsonNode response) {
        List<String> order = new ArrayList<>();
        response.get("traces").forEach(t -> order.add(t.get("traceID").asText()));
        return order;
    }

    private static Set<String> ids(JsonNode response) {
        Set<String> out = new TreeSet<>();
        if (response.has("traces")) {
            response.get("traces").forEach(t -> out.add(t.get("traceID").asText()));
        }
        return out;
    }

    @Test
    void searchReturnsTempoShapedResultsNewestFirstAndCachesBlockJobs() throws Exception {
        start();
        String q = "{ resource.service.name = \"cart\" && status = error }";
        JsonNode all = search(q, "&limit=100" + RANGE);
        assertThat(ids(all)).isEqualTo(CART_ERRORS);
        JsonNode metrics = all.get("metrics");
        assertThat(metrics.get("totalJobs").asInt()).isEqualTo(2);
        assertThat(metrics.get("completedJobs").asInt()).isEqualTo(2);
        assertThat(metrics.get("totalBlocks").asInt()).isEqualTo(1);
        assertThat(metrics.get("totalBlockBytes").asText()).isEqualTo("12345");
        assertThat(metrics.get("inspectedBytes").isTextual()).isTrue();

        // First found (Tempo's default): the source's first two matches, newest first, the same every time.
        JsonNode two = search(q, "&limit=2&spss=1" + RANGE);
        assertThat(order(two)).containsExactly(names("r8").iterator().next(), names("r4").iterator().next());
        assertThat(order(search(q, "&limit=2&spss=1" + RANGE))).isEqualTo(order(two));
        // most_recent=true: the newest two of all matches.
        assertThat(order(search(q + " with(most_recent=true)", "&limit=2" + RANGE)))
                .containsExactly(names("r24").iterator().next(), names("r20").iterator().next());
        JsonNode set = two.get("traces").get(0).get("spanSets").get(0);
        assertThat(set.get("spans").size()).isEqualTo(1);
        assertThat(set.get("matched").asInt()).isEqualTo(1);
        assertThat(set.get("spans").get(0).get("name").asText()).isEqualTo("cart.get");

        int before = fetches.get();
        assertThat(ids(search(q, "&limit=100" + RANGE))).isEqualTo(CART_ERRORS);
        assertThat(fetches.get()).as("the block job's result came from the cache").isEqualTo(before);
        assertThat(registry.get("vivace_search_cache_hits").gauge().value()).isPositive();
    }

    @Test
    void tagNamesAndValuesComeFromTheData() throws Exception {
        start();
        JsonNode v2 = JSON.readTree(get("/api/v2/search/tags?" + RANGE.substring(1)).body());
        assertThat(v2.get("scopes").get(0).get("name").asText()).isEqualTo("intrinsic");
        List<String> resource = new ArrayList<>();
        v2.get("scopes").forEach(s -> {
            if (s.get("name").asText().equals("resource")) {
                s.get("tags").forEach(t -> resource.add(t.asText()));
            }
        });
        assertThat(resource).contains("service.name", "deployment.environment", "host.name");

        JsonNode spanOnly = JSON.readTree(get("/api/v2/search/tags?scope=span").body());
        assertThat(spanOnly.get("scopes")).hasSize(1);
        assertThat(spanOnly.get("scopes").get(0).get("name").asText()).isEqualTo("span");

        JsonNode values = JSON.readTree(get("/api/v2/search/tag/resource.service.name/values").body());
        assertThat(values.get("tagValues").findValuesAsText("value")).contains("auth", "cart", "frontend");
        JsonNode filtered = JSON.readTree(get("/api/v2/search/tag/name/values?q="
                + URLEncoder.encode("{ resource.service.name = \"auth\" }", StandardCharsets.UTF_8)).body());
        assertThat(filtered.get("tagValues").findValuesAsText("value")).contains("auth.verify").doesNotContain("cart.get");

        JsonNode v1 = JSON.readTree(get("/api/search/tag/http.method/values").body());
        List<String> methods = new ArrayList<>();
        v1.get("tagValues").forEach(t -> methods.add(t.asText()));
        assertThat(methods).contains("GET", "POST");
    }

    @Test
    void tagNamesMayHoldSlashesEncodedOrNot() throws Exception {
        start();
        for (String path : List.of("/api/v2/search/tag/span.a%2Fb/values", "/api/v2/search/tag/span.a/b/values",
                "/api/search/tag/a%2Fb/values")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).has("tagValues")).as("no such attribute in the dataset").isFalse();
        }
    }

    @Test
    void badParametersAreRefusedWithTempoMessages() throws Exception {
        start();
        assertThat(get("/api/search?q=" + URLEncoder.encode("{ .a = }", StandardCharsets.UTF_8)).body())
                .startsWith("invalid TraceQL query: parse error at line 1");
        assertThat(get("/api/search?q=%7B%7D&limit=0").body()).isEqualTo("invalid limit: must be a positive number\n");
        assertThat(get("/api/search?q=%7B%7D&limit=300000").body()).isEqualTo("limit 300000 exceeds max limit 262144\n");
        assertThat(get("/api/search?q=%7B%7D&spss=101").body()).isEqualTo("spans per span set exceeds 100. received 101\n");
        assertThat(get("/api/search?q=%7B%7D&start=20&end=10").body())
                .isEqualTo("http parameter start must be before end. received start=20 end=10\n");
        assertThat(get("/api/search?q=%7B%7D&start=1&end=999999").body()).startsWith("range specified by start and end exceeds 168h0m0s.");
        assertThat(get("/api/search?q=%7B%7D&start=99999999999").statusCode()).isEqualTo(400);
        assertThat(get("/api/search?q=%7B%7D&minDuration=2s&maxDuration=1s").statusCode()).isEqualTo(400);
        assertThat(get("/api/search?q=%7B%7D&tags=a%3Db").body()).contains("can't specify tags and q in the same query");
        assertThat(get("/api/search?q=" + URLEncoder.encode("{ } | rate()", StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertThat(get("/api/v2/search/tag/foo/values").body())
                .isEqualTo("please provide a valid tagName: tag name is not valid intrinsic or scoped attribute\n");
        assertThat(get("/api/search/tags?scope=bogus").body()).isEqualTo("invalid scope: bogus\n");
    }

    @Test
    void legacyTagsSearchMatchesSubstringsIgnoringCase() throws Exception {
        start();
        HttpResponse<String> r = get("/api/search?tags=" + URLEncoder.encode("db.statement=\"where ID = 7\"", StandardCharsets.UTF_8)
                + "&limit=100" + RANGE);
        assertThat(ids(JSON.readTree(r.body()))).as(r.body()).isEqualTo(names("r7"));
    }

    @Test
    void streamingSearchOnTheHttpPort() {
        start();
        StreamingQuerierGrpc.StreamingQuerierBlockingStub stub = GrpcClients.newClient(
                "gproto+h2c://127.0.0.1:" + server.activeLocalPort() + "/", StreamingQuerierGrpc.StreamingQuerierBlockingStub.class);
        Iterator<SearchResponse> it = stub.search(SearchRequest.newBuilder()
                .setQuery("{ resource.service.name = \"cart\" && status = error }").setLimit(100)
                .setStart(1_699_999_000).setEnd(1_700_010_000).build());
        SearchResponse last = null;
        while (it.hasNext()) {
            last = it.next();
        }
        assertThat(last).isNotNull();
        Set<String> found = new TreeSet<>();
        last.getTracesList().forEach(t -> found.add(t.getTraceID()));
        assertThat(found).isEqualTo(CART_ERRORS);

        SearchTagValuesV2Response values = stub.searchTagValuesV2(SearchTagValuesRequest.newBuilder()
                .setTagName("span.http.method").build()).next();
        assertThat(values.getTagValuesList()).extracting(v -> v.getValue()).contains("GET", "POST");

        assertThatThrownBy(() -> stub.search(SearchRequest.newBuilder().setQuery("{resource.service.name=article}").build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void anUnreadableBlockIsSkippedCountedAndTheOthersServe() throws Exception {
        start(Duration.ofSeconds(30), dataset, (request, stats, sink) -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("truncated object t/block-2/data"));
        });
        JsonNode r = search("{ resource.service.name = \"cart\" && status = error }", "&limit=100" + RANGE);
        assertThat(ids(r)).isEqualTo(CART_ERRORS);
        assertThat(r.get("metrics").get("totalJobs").asInt()).isEqualTo(3);
        assertThat(registry.get("vivace_search_job_failures_total").counter().count()).isEqualTo(1);
    }

    @Test
    void aSearchRunningTooLongIsCancelledAtTheTimeout() throws Exception {
        start(Duration.ofMillis(300), (request, stats, sink) -> {
            while (!request.cancelled().getAsBoolean()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        HttpResponse<String> r = get("/api/search?q=%7B%7D" + RANGE);
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("timeout");
    }
}
