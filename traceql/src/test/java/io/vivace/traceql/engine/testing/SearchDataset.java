package io.vivace.traceql.engine.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed, hand-designed dataset for TraceQL search conformance tests: 32 traces, 192 spans. Every
 * expected result in {@link SearchConformanceSuite} and {@code corpus/search.txt} was worked out
 * from the description below, not by running an evaluator. Trace names ({@code r1}…{@code r24},
 * {@code twoRoots}, …) map to IDs with {@link #traceId}; a span is named by its trace and its
 * position {@code j} in the construction lists below ({@link #spanId}), which is also its position
 * in start order.
 *
 * <p>Times: {@link #BASE} = 1,700,000,000 s (2023-11-14T22:13:20Z) in nanoseconds; "S" below is a
 * trace's start; offsets are milliseconds.
 *
 * <h2>Regular traces r1 … r24 (i = 1 … 24)</h2>
 * Trace ID {@code 7ace0000000000ii 10000000000000ii} (hex of 0x7ace000000000000 + i, then
 * 0x1000000000000000 + i); span j has ID {@code i * 0x100 + j + 1}; S = BASE + i minutes. Resources
 * {@code frontend}, {@code auth}, {@code cart} ({@code service.name}), each with {@code
 * deployment.environment} = {@code prod} for i ≤ 12 else {@code staging}; frontend also has {@code
 * host.name} = {@code "fe-" + i % 3}. Scopes: frontend {@code http-server 1.0.0}; auth {@code
 * auth-lib 2.1.0} with scope attribute {@code scope.flag = true}; cart {@code cart-lib 0.9.0}.
 * <pre>
 * j span         service  kind      start..end     parent status / attributes
 * 0 (root name)  frontend server    0..100+i       -      error "internal error" iff i%5=0, else unset
 *     name "GET /api/items" (odd i) or "POST /api/orders" (even i);
 *     http.method "GET"/"POST" (odd/even); http.status_code int: 500 if i%5=0, else 404 if i%7=0, else 200;
 *     tags = ["web", "odd"|"even"]; a link iff i%5=0 to r(i-1)'s span 0 with link.type = "follows-from"
 * 1 auth.check   frontend client    1..11          0      peer.service "auth"
 * 2 auth.verify  auth     server    2..10          1      ok; user.id "u" + i%4; ports = [80, 443] (ints);
 *                                                          risk.score = i / 10.0 (float)
 * 3 cart.load    frontend client    20..80         0      peer.service "cart"
 * 4 cart.get     cart     server    21..71         3      error "cart unavailable" iff i%4=0; cart.items = i%6;
 *     events: "cache.miss" at 22 (cache.key = "items:" + i); iff i%4=0 also "exception" at 40
 *     (exception.type "TimeoutException", exception.message "timeout after 30s")
 * 5 db.query     cart     client    25..25+10(i%3+1) 4     db.system "postgresql",
 *                                                          db.statement "SELECT * FROM items WHERE id = " + i, db.rows = 3i
 * 6 cache.get    cart     internal  60..62         4      cache.hit = (i even) bool; cache.ratio = 0.25 i (float)
 * </pre>
 * Trace duration 100 + i ms. Nested sets: 0 → 1/14 (parent −1), 1 → 2/5, 2 → 3/4, 3 → 6/13, 4 → 7/12,
 * 5 → 8/9, 6 → 10/11; child counts 2, 1, 0, 1, 2, 0, 0.
 *
 * <h2>Special traces</h2>
 * <pre>
 * twoRoots  2b2b0000000000000000000000000030  S = BASE + 30 min; service batch (env prod), scope batch-lib
 *   0 job.import  producer 0..50  root, job.id = 1     1 step.read  internal 1..11 parent 0
 *   2 job.export  consumer 5..85  root, job.id = 2     3 step.write internal 6..16 parent 2, error "disk full"
 *   (root = span 0: rootName job.import; both roots have nestedSetParent −1, so they are siblings)
 * orphans   0a0a0000000000000000000000000031  S = BASE + 31 min; service worker (env staging), scope worker-lib
 *   0 process consumer 0..40 parent missing; 1 process.step internal 5..15 parent 0;
 *   2 cleanup internal 50..55 parent missing — no root: nothing has nested-set numbers
 * partial   9a9a0000000000000000000000000032  S = BASE + 32 min; service gateway (env prod), scope gw
 *   0 GET /health server 0..30 root; 1 check internal 1..6 parent 0;
 *   2 late client 10..15 parent missing, error "upstream failed" (unnumbered)
 * id64      0000000000000000123456789abcdef0  S = BASE + 33 min; service legacy (telemetry.sdk.language "go"),
 *   scope legacy-lib 0.1; 0 legacy.op server 0..7 root, ok, http.status_code = 200
 * kinds     c1c10000000000000000000000000034  S = BASE + 34 min; service pipeline (env staging), scope pipe
 *   chain j = 0..5, each the child of the previous: stage-j, start j, end 60 − 10j (stage-0 0..60 …
 *   stage-5 5..10), kinds unspecified, internal, server, client, producer, consumer; depth = j (int);
 *   stage-5 ok
 * types     00f00000000000000000000000000035  S = BASE + 35 min; service types, resource also shared =
 *   "resource", res.only = "r", num = "res-level"; scope types-lib, version "", scope attribute scope.attr "s"
 *   0 types.root  server   0..20 root: num "200" (string), shared "span", empty "", uni "é", bin = bytes 01 02,
 *                 kv = kvlist {a: 1}, nan = NaN, neg = -5, big = 9007199254740993
 *   1 types.int   internal 1..3 parent 0: num 200 (int), multiline "line1\nline2", uni "😀" (U+1F600), flag true
 *   2 types.float internal 4..6 parent 0: num 200.0 (float), uni "\uFFFD", flag false, farr [1.5, 2.5],
 *                 barr [true, false]
 *   3 types.bool  internal 7..9 parent 0: num true (bool)
 * events    e7e70000000000000000000000000036  S = BASE + 36 min; service mq (env prod), scope mq-lib
 *   0 consume consumer 0..100 root; events "msg.received" at 0 (msg.size 1024, msg.id "m-1") and
 *     "msg.acked" at 90 (msg.size 10, ack true); links to r3 span 0 (link.type "parent-batch",
 *     batch.size 3) and to id64 span 0 (link.type "retry")
 *   1 handle internal 10..60 parent 0, error "handler failed"; event "exception" at 30
 *     (exception.type "IOException", exception.message "boom\nstack")
 * archive   a5a50000000000000000000000000037  S = BASE − 24 h; service archive (env prod), scope arch
 *   0 archive.read server 0..5 root, http.method "GET"
 * </pre>
 * Span j of special trace number k (twoRoots = 1 … archive = 8) has ID {@code (0x50 + k) * 0x100 + j + 1};
 * missing parents are 0xdead01, 0xdead02 (orphans) and 0xdead03 (partial). Status messages are
 * empty unless given; scopes without a version have version "".
 */
public final class SearchDataset {
    /** 1,700,000,000 s since the epoch, in nanoseconds. */
    public static final long BASE = 1_700_000_000_000_000_000L;
    /** One millisecond in nanoseconds. */
    public static final long MS = 1_000_000L;
    /** One minute in nanoseconds. */
    public static final long MINUTE = 60_000_000_000L;
    /** Number of regular traces r1 … r24. */
    public static final int REGULAR = 24;
    /** The special traces, in construction order (number k = position + 1). */
    public static final List<String> SPECIAL = List.of("twoRoots", "orphans", "partial", "id64", "kinds", "types", "events", "archive");

    private static final Map<String, String> SPECIAL_IDS = Map.of(
            "twoRoots", "2b2b0000000000000000000000000030",
            "orphans", "0a0a0000000000000000000000000031",
            "partial", "9a9a0000000000000000000000000032",
            "id64", "0000000000000000123456789abcdef0",
            "kinds", "c1c10000000000000000000000000034",
            "types", "00f00000000000000000000000000035",
            "events", "e7e70000000000000000000000000036",
            "archive", "a5a50000000000000000000000000037");

    private static final List<ResourceSpans> DATA = Collections.unmodifiableList(build());

    private SearchDataset() {
    }

    /** The dataset: one {@link ResourceSpans} per (trace, service), traces in construction order. */
    public static List<ResourceSpans> resourceSpans() {
        return DATA;
    }

    /** Every trace name: r1 … r24, then the special traces. */
    public static List<String> traceNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= REGULAR; i++) {
            names.add("r" + i);
        }
        names.addAll(SPECIAL);
        return List.copyOf(names);
    }

    /** The trace ID of a named trace. */
    public static TraceId traceId(String name) {
        String special = SPECIAL_IDS.get(name);
        if (special != null) {
            return TraceId.parseHex(special);
        }
        int i = regularIndex(name);
        return new TraceId(0x7ace_0000_0000_0000L + i, 0x1000_0000_0000_0000L + i);
    }

    /** The search-result form of a trace's ID (lowercase hex, leading zeros trimmed). */
    public static String traceIdHex(String name) {
        return traceId(name).toTrimmedHex();
    }

    /** The name of the trace with this search-result ID, or null. */
    public static String traceName(String trimmedHex) {
        for (String n : traceNames()) {
            if (traceIdHex(n).equals(trimmedHex)) {
                return n;
            }
        }
        return null;
    }

    /** The ID of span {@code j} of a named trace. */
    public static long spanId(String trace, int j) {
        int k = SPECIAL.indexOf(trace);
        long base = k >= 0 ? (0x50L + k + 1) * 0x100L : regularIndex(trace) * 0x100L;
        return base + j + 1;
    }

    /** The search-result form of a span ID (16 lowercase hex digits). */
    public static String spanIdHex(String trace, int j) {
        return SpanIds.toHex(spanId(trace, j));
    }

    /** The start of a named trace. */
    public static long traceStart(String name) {
        return switch (name) {
            case "archive" -> BASE - 24 * 60 * MINUTE;
            default -> {
                int k = SPECIAL.indexOf(name);
                yield BASE + (k >= 0 ? 30 + k : regularIndex(name)) * MINUTE;
            }
        };
    }

    private static int regularIndex(String name) {
        if (!name.startsWith("r")) {
            throw new IllegalArgumentException("trace: " + name + " (expected: r1 … r24 or one of " + SPECIAL + ")");
        }
        int i = Integer.parseInt(name.substring(1));
        if (i < 1 || i > REGULAR) {
            throw new IllegalArgumentException("trace: " + name + " (expected: r1 … r24 or one of " + SPECIAL + ")");
        }
        return i;
    }

    // ---- construction --------------------------------------------------------------------------

    private static List<ResourceSpans> build() {
        List<ResourceSpans> out = new ArrayList<>();
        for (int i = 1; i <= REGULAR; i++) {
            regular(i, out);
        }
        twoRoots(out);
        orphans(out);
        partial(out);
        id64(out);
        kinds(out);
        types(out);
        events(out);
        archive(out);
        return out;
    }

    /** Collects the spans of one trace per (resource, scope), in order of first use. */
    private static final class TraceBuilder {
        private final String name;
        private final ByteString traceId;
        private final long start;
        private final Map<Resource, Map<InstrumentationScope, List<Span>>> spans = new LinkedHashMap<>();

        TraceBuilder(String name) {
            this.name = name;
            this.traceId = traceId(name).toByteString();
            this.start = traceStart(name);
        }

        /** Adds span j; parent −1 = root, parent &lt; −1 = the missing span 0xdead00 − parent − 1. */
        Span.Builder span(int j, String spanName, Span.SpanKind kind, long fromMs, long toMs, int parent) {
            Span.Builder b = Span.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(SpanIds.toByteString(spanId(name, j)))
                    .setName(spanName)
                    .setKind(kind)
                    .setStartTimeUnixNano(start + fromMs * MS)
                    .setEndTimeUnixNano(start + toMs * MS);
            if (parent >= 0) {
                b.setParentSpanId(SpanIds.toByteString(spanId(name, parent)));
            } else if (parent < -1) {
                b.setParentSpanId(SpanIds.toByteString(0xdead00L - parent - 1));
            }
            return b;
        }

        void add(Resource resource, InstrumentationScope scope, Span.Builder span) {
            spans.computeIfAbsent(resource, r -> new LinkedHashMap<>()).computeIfAbsent(scope, s -> new ArrayList<>()).add(span.build());
        }

        Span.Event event(String eventName, long atMs, KeyValue... attributes) {
            return Span.Event.newBuilder().setName(eventName).setTimeUnixNano(start + atMs * MS).addAllAttributes(List.of(attributes)).build();
        }

        void finish(List<ResourceSpans> out) {
            spans.forEach((resource, scopes) -> {
                ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource);
                scopes.forEach((scope, list) -> rs.addScopeSpans(ScopeSpans.newBuilder().setScope(scope).addAllSpans(list)));
                out.add(rs.build());
            });
        }
    }

    private static Span.Link link(String trace, int j, KeyValue... attributes) {
        return Span.Link.newBuilder().setTraceId(traceId(trace).toByteString()).setSpanId(SpanIds.toByteString(spanId(trace, j)))
                .addAllAttributes(List.of(attributes)).build();
    }

    private static Resource resource(KeyValue... attributes) {
        return Resource.newBuilder().addAllAttributes(List.of(attributes)).build();
    }

    private static InstrumentationScope scope(String name, String version, KeyValue... attributes) {
        return InstrumentationScope.newBuilder().setName(name).setVersion(version).addAllAttributes(List.of(attributes)).build();
    }

    private static Status status(Status.StatusCode code, String message) {
        return Status.newBuilder().setCode(code).setMessage(message).build();
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static KeyValue str(String key, String value) {
        return kv(key, AnyValue.newBuilder().setStringValue(value).build());
    }

    private static KeyValue integer(String key, long value) {
        return kv(key, AnyValue.newBuilder().setIntValue(value).build());
    }

    private static KeyValue dbl(String key, double value) {
        return kv(key, AnyValue.newBuilder().setDoubleValue(value).build());
    }

    private static KeyValue bool(String key, boolean value) {
        return kv(key, AnyValue.newBuilder().setBoolValue(value).build());
    }

    private static KeyValue array(String key, AnyValue... values) {
        return kv(key, AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(values))).build());
    }

    private static AnyValue s(String v) {
        return AnyValue.newBuilder().setStringValue(v).build();
    }

    private static AnyValue i(long v) {
        return AnyValue.newBuilder().setIntValue(v).build();
    }

    private static AnyValue d(double v) {
        return AnyValue.newBuilder().setDoubleValue(v).build();
    }

    private static AnyValue b(boolean v) {
        return AnyValue.newBuilder().setBoolValue(v).build();
    }

    private static void regular(int i, List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("r" + i);
        String env = i <= 12 ? "prod" : "staging";
        Resource frontend = resource(str("service.name", "frontend"), str("deployment.environment", env), str("host.name", "fe-" + i % 3));
        Resource auth = resource(str("service.name", "auth"), str("deployment.environment", env));
        Resource cart = resource(str("service.name", "cart"), str("deployment.environment", env));
        InstrumentationScope http = scope("http-server", "1.0.0");
        InstrumentationScope authLib = scope("auth-lib", "2.1.0", bool("scope.flag", true));
        InstrumentationScope cartLib = scope("cart-lib", "0.9.0");
        boolean odd = i % 2 == 1;

        Span.Builder root = t.span(0, odd ? "GET /api/items" : "POST /api/orders", Span.SpanKind.SPAN_KIND_SERVER,
                0, 100 + i, -1)
                .addAttributes(str("http.method", odd ? "GET" : "POST"))
                .addAttributes(integer("http.status_code", i % 5 == 0 ? 500 : i % 7 == 0 ? 404 : 200))
                .addAttributes(array("tags", s("web"), s(odd ? "odd" : "even")));
        if (i % 5 == 0) {
            root.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "internal error"));
            root.addLinks(link("r" + (i - 1), 0, str("link.type", "follows-from")));
        }
        t.add(frontend, http, root);
        t.add(frontend, http, t.span(1, "auth.check", Span.SpanKind.SPAN_KIND_CLIENT, 1, 11, 0)
                .addAttributes(str("peer.service", "auth")));
        t.add(auth, authLib, t.span(2, "auth.verify", Span.SpanKind.SPAN_KIND_SERVER, 2, 10, 1)
                .setStatus(status(Status.StatusCode.STATUS_CODE_OK, ""))
                .addAttributes(str("user.id", "u" + i % 4))
                .addAttributes(array("ports", i(80), i(443)))
                .addAttributes(dbl("risk.score", i / 10.0)));
        t.add(frontend, http, t.span(3, "cart.load", Span.SpanKind.SPAN_KIND_CLIENT, 20, 80, 0)
                .addAttributes(str("peer.service", "cart")));
        Span.Builder get = t.span(4, "cart.get", Span.SpanKind.SPAN_KIND_SERVER, 21, 71, 3)
                .addAttributes(integer("cart.items", i % 6))
                .addEvents(t.event("cache.miss", 22, str("cache.key", "items:" + i)));
        if (i % 4 == 0) {
            get.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "cart unavailable"));
            get.addEvents(t.event("exception", 40, str("exception.type", "TimeoutException"),
                    str("exception.message", "timeout after 30s")));
        }
        t.add(cart, cartLib, get);
        t.add(cart, cartLib, t.span(5, "db.query", Span.SpanKind.SPAN_KIND_CLIENT, 25, 25 + 10 * (i % 3 + 1), 4)
                .addAttributes(str("db.system", "postgresql"))
                .addAttributes(str("db.statement", "SELECT * FROM items WHERE id = " + i))
                .addAttributes(integer("db.rows", 3L * i)));
        t.add(cart, cartLib, t.span(6, "cache.get", Span.SpanKind.SPAN_KIND_INTERNAL, 60, 62, 4)
                .addAttributes(bool("cache.hit", !odd))
                .addAttributes(dbl("cache.ratio", 0.25 * i)));
        t.finish(out);
    }

    private static void twoRoots(List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("twoRoots");
        Resource batch = resource(str("service.name", "batch"), str("deployment.environment", "prod"));
        InstrumentationScope lib = scope("batch-lib", "");
        t.add(batch, lib, t.span(0, "job.import", Span.SpanKind.SPAN_KIND_PRODUCER, 0, 50, -1).addAttributes(integer("job.id", 1)));
        t.add(batch, lib, t.span(1, "step.read", Span.SpanKind.SPAN_KIND_INTERNAL, 1, 11, 0));
        t.add(batch, lib, t.span(2, "job.export", Span.SpanKind.SPAN_KIND_CONSUMER, 5, 85, -1).addAttributes(integer("job.id", 2)));
        t.add(batch, lib, t.span(3, "step.write", Span.SpanKind.SPAN_KIND_INTERNAL, 6, 16, 2)
                .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "disk full")));
        t.finish(out);
    }

    private static void orphans(List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("orphans");
        Resource worker = resource(str("service.name", "worker"), str("deployment.environment", "staging"));
        InstrumentationScope lib = scope("worker-lib", "");
        t.add(worker, lib, t.span(0, "process", Span.SpanKind.SPAN_KIND_CONSUMER, 0, 40, -2));
        t.add(worker, lib, t.span(1, "process.step", Span.SpanKind.SPAN_KIND_INTERNAL, 5, 15, 0));
        t.add(worker, lib, t.span(2, "cleanup", Span.SpanKind.SPAN_KIND_INTERNAL, 50, 55, -3));
        t.finish(out);
    }

    private static void partial(List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("partial");
        Resource gateway = resource(str("service.name", "gateway"), str("deployment.environment", "prod"));
        InstrumentationScope gw = scope("gw", "");
        t.add(gateway, gw, t.span(0, "GET /health", Span.SpanKind.SPAN_KIND_SERVER, 0, 30, -1));
        t.add(gateway, gw, t.span(1, "check", Span.SpanKind.SPAN_KIND_INTERNAL, 1, 6, 0));
        t.add(gateway, gw, t.span(2, "late", Span.SpanKind.SPAN_KIND_CLIENT, 10, 15, -4)
                .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "upstream failed")));
        t.finish(out);
    }

    private static void id64(List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("id64");
        Resource legacy = resource(str("service.name", "legacy"), str("telemetry.sdk.language", "go"));
        InstrumentationScope lib = scope("legacy-lib", "0.1");
        t.add(legacy, lib, t.span(0, "legacy.op", Span.SpanKind.SPAN_KIND_SERVER, 0, 7, -1)
                .setStatus(status(Status.StatusCode.STATUS_CODE_OK, ""))
                .addAttributes(integer("http.status_code", 200)));
        t.finish(out);
    }

    private static void kinds(List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("kinds");
        Resource pipeline = resource(str("service.name", "pipeline"), str("deployment.environment", "staging"));
        InstrumentationScope pipe = scope("pipe", "");
        Span.SpanKind[] kinds = {Span.SpanKind.SPAN_KIND_UNSPECIFIED, Span.SpanKind.SPAN_KIND_INTERNAL, Span.SpanKind.SPAN_KIND_SERVER,
            Span.SpanKind.SPAN_KIND_CLIENT, Span.SpanKind.SPAN_KIND_PRODUCER, Span.SpanKind.SPAN_KIND_CONSUMER};
        for (int j = 0; j < 6; j++) {
            Span.Builder b = t.span(j, "stage-" + j, kinds[j], j, 60 - 10L * j, j - 1).addAttributes(integer("depth", j));
            if (j == 5) {
                b.setStatus(status(Status.StatusCode.STATUS_CODE_OK, ""));
            }
            t.add(pipeline, pipe, b);
        }
        t.finish(out);
    }

    private static void types(List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("types");
        Resource res = resource(str("service.name", "types"), str("shared", "resource"), str("res.only", "r"), str("num", "res-level"));
        InstrumentationScope lib = scope("types-lib", "", str("scope.attr", "s"));
        t.add(res, lib, t.span(0, "types.root", Span.SpanKind.SPAN_KIND_SERVER, 0, 20, -1)
                .addAttributes(str("num", "200"))
                .addAttributes(str("shared", "span"))
                .addAttributes(str("empty", ""))
                .addAttributes(str("uni", "é"))
                .addAttributes(kv("bin", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2})).build()))
                .addAttributes(kv("kv", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(integer("a", 1))).build()))
                .addAttributes(dbl("nan", Double.NaN))
                .addAttributes(integer("neg", -5))
                .addAttributes(integer("big", 9_007_199_254_740_993L)));
        t.add(res, lib, t.span(1, "types.int", Span.SpanKind.SPAN_KIND_INTERNAL, 1, 3, 0)
                .addAttributes(integer("num", 200))
                .addAttributes(str("multiline", "line1\nline2"))
                .addAttributes(str("uni", "\uD83D\uDE00"))
                .addAttributes(bool("flag", true)));
        t.add(res, lib, t.span(2, "types.float", Span.SpanKind.SPAN_KIND_INTERNAL, 4, 6, 0)
                .addAttributes(dbl("num", 200.0))
                .addAttributes(str("uni", "\uFFFD"))
                .addAttributes(bool("flag", false))
                .addAttributes(array("farr", d(1.5), d(2.5)))
                .addAttributes(array("barr", b(true), b(false))));
        t.add(res, lib, t.span(3, "types.bool", Span.SpanKind.SPAN_KIND_INTERNAL, 7, 9, 0)
                .addAttributes(bool("num", true)));
        t.finish(out);
    }

    private static void events(List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("events");
        Resource mq = resource(str("service.name", "mq"), str("deployment.environment", "prod"));
        InstrumentationScope lib = scope("mq-lib", "");
        t.add(mq, lib, t.span(0, "consume", Span.SpanKind.SPAN_KIND_CONSUMER, 0, 100, -1)
                .addEvents(t.event("msg.received", 0, integer("msg.size", 1024), str("msg.id", "m-1")))
                .addEvents(t.event("msg.acked", 90, integer("msg.size", 10), bool("ack", true)))
                .addLinks(link("r3", 0, str("link.type", "parent-batch"), integer("batch.size", 3)))
                .addLinks(link("id64", 0, str("link.type", "retry"))));
        t.add(mq, lib, t.span(1, "handle", Span.SpanKind.SPAN_KIND_INTERNAL, 10, 60, 0)
                .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "handler failed"))
                .addEvents(t.event("exception", 30, str("exception.type", "IOException"), str("exception.message", "boom\nstack"))));
        t.finish(out);
    }

    private static void archive(List<ResourceSpans> out) {
        TraceBuilder t = new TraceBuilder("archive");
        Resource archive = resource(str("service.name", "archive"), str("deployment.environment", "prod"));
        InstrumentationScope arch = scope("arch", "");
        t.add(archive, arch, t.span(0, "archive.read", Span.SpanKind.SPAN_KIND_SERVER, 0, 5, -1)
                .addAttributes(str("http.method", "GET")));
        t.finish(out);
    }
}
