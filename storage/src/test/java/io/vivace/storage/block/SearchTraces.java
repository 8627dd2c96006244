package io.vivace.storage.block;

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
import io.vivace.model.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A deterministic dataset for search tests, with properties a test can count on: eight common
 * services and a rare one, dedicated attributes, mistyped and repeated keys, arrays and kvlists,
 * events, links, scope attributes, 64-bit trace IDs, and a few traces larger than a batch whose
 * first and last spans have unique names. {@link #spans} flattens a trace for hand-written oracles.
 */
final class SearchTraces {
    static final long BASE = 1_700_000_000_000_000_000L;
    static final String[] SERVICES = {"svc-0", "svc-1", "svc-2", "svc-3", "svc-4", "svc-5", "svc-6", "svc-7"};
    static final String RARE_SERVICE = "rare-svc";
    /** Spans of each large trace (bigger than the 128-row batches the tests use). */
    static final int BIG_SPANS = 300;

    private final Random random;

    SearchTraces(long seed) {
        this.random = new Random(seed);
    }

    /** One span with its resource and scope, for oracles. */
    record SpanView(TraceEntry trace, Resource resource, InstrumentationScope scope, Span span, int childCount) {
        List<KeyValue> spanAttributes() {
            return span.getAttributesList();
        }

        List<KeyValue> resourceAttributes() {
            return resource.getAttributesList();
        }
    }

    /** The spans of {@code trace}. */
    static List<SpanView> spans(TraceEntry trace) {
        Map<ByteString, Integer> children = new HashMap<>();
        for (ResourceSpans rs : trace.resourceSpans()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    if (!s.getParentSpanId().isEmpty()) {
                        children.merge(s.getParentSpanId(), 1, Integer::sum);
                    }
                }
            }
        }
        List<SpanView> out = new ArrayList<>();
        for (ResourceSpans rs : trace.resourceSpans()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    out.add(new SpanView(trace, rs.getResource(), ss.getScope(), s, children.getOrDefault(s.getSpanId(), 0)));
                }
            }
        }
        return out;
    }

    /** Whether some span of {@code trace} satisfies {@code p}. */
    static boolean anySpan(TraceEntry trace, Predicate<SpanView> p) {
        return spans(trace).stream().anyMatch(p);
    }

    /** Earliest span start of the trace. */
    static long start(TraceEntry trace) {
        return spans(trace).stream().mapToLong(s -> s.span().getStartTimeUnixNano()).min().orElseThrow();
    }

    /** Latest span end of the trace. */
    static long end(TraceEntry trace) {
        return spans(trace).stream().mapToLong(s -> s.span().getEndTimeUnixNano()).max().orElseThrow();
    }

    /** The values of every attribute named {@code key}. */
    static List<AnyValue> values(List<KeyValue> attributes, String key) {
        List<AnyValue> out = new ArrayList<>();
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key)) {
                out.add(kv.getValue());
            }
        }
        return out;
    }

    /** Whether some attribute {@code key} is a string satisfying {@code p}. */
    static boolean anyString(List<KeyValue> attributes, String key, Predicate<String> p) {
        return values(attributes, key).stream().anyMatch(v -> v.hasStringValue() && p.test(v.getStringValue()));
    }

    /** Whether some attribute {@code key} is an int or a double whose value satisfies {@code p}. */
    static boolean anyNumber(List<KeyValue> attributes, String key, java.util.function.DoublePredicate p) {
        return values(attributes, key).stream().anyMatch(v -> (v.hasIntValue() && p.test(v.getIntValue()))
                || (v.hasDoubleValue() && p.test(v.getDoubleValue())));
    }

    /** {@code count} traces sorted by ID, plus {@code big} traces of {@link #BIG_SPANS} spans. */
    List<TraceEntry> traces(int count, int big) {
        TreeMap<TraceId, TraceEntry> out = new TreeMap<>();
        int bigMade = 0;
        while (out.size() < count + big) {
            TraceId id = random.nextInt(4) == 0 ? new TraceId(0, random.nextLong() >>> 1 | 1) : new TraceId(random.nextLong(), random.nextLong());
            if (id.isZero() || out.containsKey(id)) {
                continue;
            }
            boolean isBig = bigMade < big && out.size() % 50 == 7;
            if (isBig) {
                bigMade++;
            } else if (out.size() - bigMade >= count) {
                continue;
            }
            out.put(id, trace(id, isBig ? BIG_SPANS : 1 + random.nextInt(25), isBig ? bigMade : -1));
        }
        return new ArrayList<>(out.values());
    }

    private TraceEntry trace(TraceId id, int spans, int bigNumber) {
        long t0 = BASE + random.nextInt(3600) * 1_000_000_000L;
        boolean rare = bigNumber < 0 && random.nextInt(100) == 0;
        int resources = 1 + random.nextInt(Math.min(3, spans));
        List<ResourceSpans.Builder> rss = new ArrayList<>();
        for (int r = 0; r < resources; r++) {
            Resource.Builder res = Resource.newBuilder();
            String service = rare && r == resources - 1 ? RARE_SERVICE : SERVICES[random.nextInt(SERVICES.length)];
            if (random.nextInt(40) == 0) {
                // A mistyped service.name stays in the generic list.
                res.addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setIntValue(7)));
            } else {
                res.addAttributes(string("service.name", service));
            }
            if (random.nextBoolean()) {
                res.addAttributes(string("k8s.namespace.name", "ns-" + random.nextInt(3)));
            }
            res.addAttributes(string("res.tier", random.nextBoolean() ? "gold" : "silver"));
            rss.add(ResourceSpans.newBuilder().setResource(res));
        }
        List<ScopeSpans.Builder> scopes = new ArrayList<>();
        for (int r = 0; r < resources; r++) {
            InstrumentationScope.Builder scope = InstrumentationScope.newBuilder()
                    .setName(random.nextBoolean() ? "lib-a" : "lib-b").setVersion(random.nextInt(3) == 0 ? "" : "1." + random.nextInt(3));
            if (random.nextInt(3) == 0) {
                scope.addAttributes(string("scope.kind", random.nextBoolean() ? "auto" : "manual"));
            }
            scopes.add(ScopeSpans.newBuilder().setScope(scope));
        }
        List<ByteString> ids = new ArrayList<>();
        for (int i = 0; i < spans; i++) {
            byte[] sid = new byte[8];
            random.nextBytes(sid);
            sid[0] |= 1;
            ByteString spanId = ByteString.copyFrom(sid);
            long start = t0 + (long) i * 1_000_000L + random.nextInt(1_000_000);
            long duration = random.nextInt(20) == 0 ? 2_000_000_000L + random.nextInt(1_000_000_000) : 1_000_000L + random.nextInt(1_500_000_000);
            String name;
            if (bigNumber >= 0 && i == 0) {
                name = "big-first-" + bigNumber;
            } else if (bigNumber >= 0 && i == spans - 1) {
                name = "big-last-" + bigNumber;
            } else if (i == 0 && random.nextBoolean()) {
                name = "GET /api/" + random.nextInt(4);
            } else {
                name = "op-" + random.nextInt(15);
            }
            Span.Builder s = Span.newBuilder().setTraceId(id.toByteString()).setSpanId(spanId).setName(name)
                    .setKindValue(i == 0 ? 2 : random.nextInt(6)).setStartTimeUnixNano(start).setEndTimeUnixNano(start + duration);
            if (i > 0) {
                s.setParentSpanId(ids.get(random.nextInt(ids.size())));
            }
            ids.add(spanId);
            switch (random.nextInt(5)) {
                case 0 -> {}
                case 1 -> s.setStatus(Status.getDefaultInstance());
                case 2 -> s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
                default -> s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom " + random.nextInt(3)));
            }
            attributes(s);
            if (random.nextInt(7) == 0) {
                s.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(start + 10)
                        .addAttributes(string("exception.type", random.nextBoolean() ? "IOError" : "Timeout")));
            }
            if (random.nextInt(10) == 0) {
                byte[] lt = new byte[16];
                random.nextBytes(lt);
                s.addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(lt)).setSpanId(spanId)
                        .addAttributes(string("link.kind", random.nextBoolean() ? "follows" : "child")));
            }
            int r = i == 0 ? 0 : random.nextInt(resources);
            scopes.get(r).addSpans(s);
        }
        List<ResourceSpans> out = new ArrayList<>();
        for (int r = 0; r < resources; r++) {
            if (scopes.get(r).getSpansCount() > 0) {
                out.add(rss.get(r).addScopeSpans(scopes.get(r)).build());
            }
        }
        return new TraceEntry(id, out);
    }

    private void attributes(Span.Builder s) {
        if (random.nextBoolean()) {
            s.addAttributes(string("http.method", new String[] {"GET", "POST", "PUT"}[random.nextInt(3)]));
            s.addAttributes(integer("http.status_code", new int[] {200, 404, 500}[random.nextInt(3)]));
            s.addAttributes(string("http.url", "https://example.com/items/" + random.nextInt(200)));
        }
        if (random.nextInt(20) == 0) {
            s.addAttributes(string("http.status_code", "503")); // mistyped: stays generic
        }
        if (random.nextInt(20) == 0) {
            s.addAttributes(string("db.system", "postgresql"));
            s.addAttributes(string("db.system", "mysql")); // repeated key: the second stays generic
        }
        if (random.nextInt(5) < 2) {
            s.addAttributes(string("attr.str", "v-" + random.nextInt(50)));
        }
        if (random.nextInt(5) < 2) {
            s.addAttributes(integer("attr.int", random.nextInt(100)));
        }
        if (random.nextInt(5) == 0) {
            s.addAttributes(KeyValue.newBuilder().setKey("attr.dbl").setValue(AnyValue.newBuilder().setDoubleValue(random.nextInt(40) / 4.0)));
        }
        if (random.nextInt(5) == 0) {
            s.addAttributes(KeyValue.newBuilder().setKey("attr.bool").setValue(AnyValue.newBuilder().setBoolValue(random.nextBoolean())));
        }
        if (random.nextInt(10) == 0) {
            s.addAttributes(KeyValue.newBuilder().setKey("tags").setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                    .addValues(AnyValue.newBuilder().setStringValue("t-" + random.nextInt(6)))
                    .addValues(AnyValue.newBuilder().setStringValue("t-" + random.nextInt(6))))));
        }
        if (random.nextInt(10) == 0) {
            int k = random.nextInt(100);
            s.addAttributes(KeyValue.newBuilder().setKey("nums").setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                    .addValues(AnyValue.newBuilder().setIntValue(k)).addValues(AnyValue.newBuilder().setIntValue(k + 1)))));
        }
        if (random.nextInt(30) == 0) {
            s.addAttributes(KeyValue.newBuilder().setKey("kv").setValue(AnyValue.newBuilder().setKvlistValue(
                    KeyValueList.newBuilder().addValues(string("x", "y")))));
        }
    }

    static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
