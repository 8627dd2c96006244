package io.vivace.frontend;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.query.TraceLookup;
import io.vivace.common.query.TraceResult;
import io.vivace.model.TraceId;
import io.vivace.model.Tenants;
import io.vivace.model.Traces;
import io.vivace.model.json.TempoJson;
import io.vivace.model.tempopb.PartialStatus;
import io.vivace.model.tempopb.Trace;
import io.vivace.model.tempopb.TraceByIDMetrics;
import io.vivace.model.tempopb.TraceByIDResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import com.google.protobuf.Message;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import io.vivace.traceql.engine.SearchBackend;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tempo's query API on the HTTP port: trace by ID (v1 and v2), search, tag names and values (HTTP and
 * the streaming gRPC service), and the small endpoints Grafana's "Save & test" calls. Lookups run
 * on Armeria's blocking executor, search jobs on the frontend's own pool, never on an event loop.
 */
public final class QueryFrontend {
    private static final Logger log = LoggerFactory.getLogger(QueryFrontend.class);

    private final QueryFrontendConfig config;
    private final OverridesConfig overrides;
    private final boolean multitenancy;
    private final TraceLookup querier;
    private final MeterRegistry registry;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> outstanding =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final SearchApi search;
    private static final java.util.concurrent.atomic.AtomicInteger JOB_THREADS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Creates the frontend over {@code querier} (trace by ID) and {@code searchBackend} (search and
     * tags).
     */
    public QueryFrontend(QueryFrontendConfig config, OverridesConfig overrides, boolean multitenancyEnabled,
            TraceLookup querier, SearchBackend searchBackend, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.multitenancy = multitenancyEnabled;
        this.querier = Objects.requireNonNull(querier, "querier");
        this.registry = Objects.requireNonNull(registry, "registry");
        int pool = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
        ExecutorService jobs = Executors.newFixedThreadPool(pool, r -> {
            Thread t = new Thread(r, "vivace-search-" + JOB_THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.search = new SearchApi(new SearchRunner(searchBackend, config.search(), jobs, pool, registry), config.search(),
                config.apiTimeout());
    }

    /**
     * Adds the API routes and the streaming gRPC service to {@code sb} for the default virtual host
     * (the HTTP port and the internal gRPC port).
     */
    public void bind(ServerBuilder sb) {
        sb.service("/api/echo", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "echo\n"));
        sb.service("/api/traces/{traceId}", (ctx, req) -> traceById(ctx, req, false));
        sb.service("/api/v2/traces/{traceId}", (ctx, req) -> traceById(ctx, req, true));
        sb.service("/api/search", (ctx, req) -> query(ctx, req, "/api/search", (tenants, cancelled) -> {
            SearchApi.SearchParams p = search.searchParams(ctx.queryParams());
            return search.search(tenants, p, null, cancelled);
        }));
        sb.service("/api/search/tags", (ctx, req) -> query(ctx, req, "/api/search/tags",
                (tenants, cancelled) -> search.tagNamesV1(tenants, search.tagParams(ctx.queryParams()), cancelled)));
        sb.service("/api/v2/search/tags", (ctx, req) -> query(ctx, req, "/api/v2/search/tags",
                (tenants, cancelled) -> search.tagNames(tenants, search.tagParams(ctx.queryParams()), cancelled)));
        sb.service("regex:^/api/search/tag/(?<tagName>.+)/values$", (ctx, req) -> query(ctx, req, "/api/search/tag/values",
                (tenants, cancelled) -> search.tagValuesV1(tenants,
                        search.tagValueParams(ctx.pathParam("tagName"), false, ctx.queryParams()), cancelled)));
        sb.service("regex:^/api/v2/search/tag/(?<tagName>.+)/values$", (ctx, req) -> query(ctx, req, "/api/v2/search/tag/values",
                (tenants, cancelled) -> search.tagValues(tenants,
                        search.tagValueParams(ctx.pathParam("tagName"), true, ctx.queryParams()), cancelled)));
        sb.service(GrpcService.builder()
                .addService(new StreamingQuerierService(search, this::tenants))
                .useBlockingTaskExecutor(true)
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                .build());
    }

    @FunctionalInterface
    private interface QueryCall {
        Message run(List<String> tenants, BooleanSupplier cancelled);
    }

    /** Runs a search-like call on the blocking executor with the tenant, outstanding-limit and error rules. */
    private HttpResponse query(ServiceRequestContext ctx, HttpRequest req, String route, QueryCall call) {
        Timer.Sample sample = Timer.start(registry);
        List<String> tenantList;
        try {
            tenantList = tenants(req.headers().get("x-scope-orgid"));
        } catch (VivaceException e) {
            return ApiResponses.error(e);
        }
        boolean protobuf = ApiResponses.wantsProtobuf(req.headers().get("accept"));
        // Searches stop at api_timeout themselves (with their own message), so no outer cut.
        return run(ctx, route, sample, tenantList.get(0), false,
                () -> ApiResponses.message(call.run(tenantList, () -> ctx.isCancelled()), protobuf));
    }

    /**
     * Runs {@code work} on the blocking executor under the tenant's outstanding-query limit (429
     * beyond it), turning failures into Tempo's error responses and timing the route.
     */
    private HttpResponse run(ServiceRequestContext ctx, String route, Timer.Sample sample, String tenant, boolean cutAtTimeout,
            java.util.function.Supplier<HttpResponse> work) {
        java.util.concurrent.atomic.AtomicInteger running = outstanding.computeIfAbsent(tenant,
                t -> new java.util.concurrent.atomic.AtomicInteger());
        if (running.incrementAndGet() > config.maxOutstandingPerTenant()) {
            running.decrementAndGet();
            return ApiResponses.error(429, "too many outstanding requests");
        }
        CompletableFuture<HttpResponse> f = CompletableFuture.supplyAsync(work, ctx.blockingTaskExecutor());
        if (cutAtTimeout) {
            f = f.orTimeout(config.apiTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        f = f.exceptionally(t -> failure(route, t))
                .whenComplete((r, t) -> running.decrementAndGet())
                .whenComplete((r, t) -> sample.stop(Timer.builder("vivace_request_duration_seconds")
                        .tag("route", route).publishPercentileHistogram().register(registry)));
        return HttpResponse.of(f);
    }

    private HttpResponse traceById(ServiceRequestContext ctx, HttpRequest req, boolean v2) {
        Timer.Sample sample = Timer.start(registry);
        String route = v2 ? "/api/v2/traces" : "/api/traces";
        List<String> tenants;
        TraceId id;
        long start;
        long end;
        try {
            tenants = tenants(req.headers().get("x-scope-orgid"));
            id = TraceId.parseHex(ctx.pathParam("traceId"));
            QueryParams params = ctx.queryParams();
            start = seconds(params, "start");
            end = seconds(params, "end");
            if (start != 0 && end != 0 && end <= start) {
                throw VivaceException.invalid("bad_request",
                        "http parameter start must be before end. received start=" + start + " end=" + end);
            }
            String mode = params.get("mode");
            if (mode != null && !List.of("all", "ingesters", "blocks", "external").contains(mode)) {
                throw VivaceException.invalid("bad_request", "invalid value for mode " + mode);
            }
        } catch (IllegalArgumentException e) {
            return ApiResponses.error(400, e.getMessage());
        } catch (VivaceException e) {
            return ApiResponses.error(e);
        }
        boolean protobuf = ApiResponses.wantsProtobuf(req.headers().get("accept"));
        final List<String> tenantList = tenants;
        // The lookup has no deadline of its own: the future is cut at api_timeout.
        return run(ctx, route, sample, tenantList.get(0), true, () -> {
            List<ResourceSpans> pieces = new ArrayList<>();
            long inspected = 0;
            for (String tenant : tenantList) {
                TraceResult r = querier.find(tenant, id, start, end);
                pieces.addAll(r.resourceSpans());
                inspected += r.inspectedBytes();
            }
            return respond(tenantList.get(0), pieces, inspected, v2, protobuf);
        });
    }

    private HttpResponse respond(String tenant, List<ResourceSpans> pieces, long inspected, boolean v2, boolean protobuf) {
        if (pieces.isEmpty()) {
            return ApiResponses.notFound();
        }
        Trace trace = Trace.newBuilder().addAllResourceSpans(Traces.combine(pieces)).build();
        long max = overrides.forTenant(tenant).global().maxBytesPerTrace();
        boolean tooLarge = max > 0 && trace.getSerializedSize() > max;
        if (!v2) {
            if (tooLarge) {
                return ApiResponses.error(422, "trace exceeds max size (max bytes: " + max + ")");
            }
            return protobuf ? ApiResponses.message(trace, true) : ApiResponses.json(TempoJson.traceV1(trace));
        }
        TraceByIDResponse.Builder resp = TraceByIDResponse.newBuilder()
                .setMetrics(TraceByIDMetrics.newBuilder().setInspectedBytes(inspected));
        if (tooLarge) {
            resp.setTrace(truncate(trace, max)).setStatus(PartialStatus.PARTIAL)
                    .setMessage("Trace exceeds maximum size of " + max + " bytes, a partial trace is returned");
        } else {
            resp.setTrace(trace);
        }
        return ApiResponses.message(resp.build(), protobuf);
    }

    /** Keeps whole resource groups in order while they fit in {@code max} bytes (at least one). */
    private static Trace truncate(Trace trace, long max) {
        Trace.Builder b = Trace.newBuilder();
        long size = 0;
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            size += rs.getSerializedSize() + 5;
            if (size > max && b.getResourceSpansCount() > 0) {
                break;
            }
            b.addResourceSpans(rs);
        }
        return b.build();
    }

    private HttpResponse failure(String route, Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof VivaceException ve) {
            return ApiResponses.error(ve);
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return ApiResponses.error(504, "unable to process request in the configured timeout (" + config.apiTimeout() + ")");
        }
        log.error("event=query_failed route={}", route, cause);
        return ApiResponses.error(500, "internal error: " + cause);
    }

    /** Tenants of a query: {@code single-tenant} without multitenancy, else the header's {@code a|b} list. */
    List<String> tenants(String header) {
        if (!multitenancy) {
            return List.of(Tenants.SINGLE_TENANT);
        }
        if (header == null || header.isEmpty()) {
            throw new VivaceException(ErrorCategory.UNAUTHENTICATED, "unauthenticated", "no org id");
        }
        List<String> out = new ArrayList<>();
        for (String t : header.split("\\|")) {
            try {
                String v = Tenants.validate(t.trim());
                if (!out.contains(v)) {
                    out.add(v);
                }
            } catch (IllegalArgumentException e) {
                throw VivaceException.invalid("bad_request", e.getMessage());
            }
        }
        return out;
    }

    private static long seconds(QueryParams params, String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            long s = Long.parseLong(v);
            if (s < 0) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw VivaceException.invalid("bad_request", "invalid " + name + ": " + v + " (expected: unix seconds)");
        }
    }
}
