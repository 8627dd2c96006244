package io.vivace.storage.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
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
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Generates traces for format tests: many services, every OTLP field, every AnyValue kind. */
final class TestTraces {
    private static final Comparator<KeyValue> ATTRIBUTE_ORDER = Comparator.comparing(KeyValue::getKey)
            .thenComparing(KeyValue::toByteString, ByteString.unsignedLexicographicalComparator());

    private final Random random;

    TestTraces(long seed) {
        random = new Random(seed);
    }

    /** {@code count} traces with distinct IDs, sorted; a quarter have 64-bit-origin IDs (zero high half). */
    List<TraceEntry> traces(int count) {
        TreeMap<TraceId, TraceEntry> out = new TreeMap<>();
        while (out.size() < count) {
            TraceId id = random.nextInt(4) == 0 ? new TraceId(0, random.nextLong()) : new TraceId(random.nextLong(), random.nextLong());
            if (!id.isZero() && !out.containsKey(id)) {
                out.put(id, trace(id, 1 + random.nextInt(40)));
            }
        }
        return new ArrayList<>(out.values());
    }

    /** One trace of about {@code spans} spans across a few resources and scopes. */
    TraceEntry trace(TraceId id, int spans) {
        List<ResourceSpans> rss = new ArrayList<>();
        List<byte[]> spanIds = new ArrayList<>();
        long t0 = 1_700_000_000_000_000_000L + random.nextInt(1_000_000) * 1_000_000L;
        int resources = 1 + random.nextInt(3);
        int made = 0;
        for (int r = 0; r < resources && made < spans; r++) {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder();
            if (random.nextInt(10) != 0) {
                rs.setResource(resource());
            }
            if (random.nextBoolean()) {
                rs.setSchemaUrl("https://opentelemetry.io/schemas/1.2" + random.nextInt(3) + ".0");
            }
            int scopes = 1 + random.nextInt(2);
            for (int s = 0; s < scopes && made < spans; s++) {
                ScopeSpans.Builder ss = ScopeSpans.newBuilder();
                if (random.nextInt(8) != 0) {
                    InstrumentationScope.Builder scope = InstrumentationScope.newBuilder()
                            .setName(random.nextInt(6) == 0 ? "" : "io.opentelemetry.lib-" + random.nextInt(4))
                            .setVersion(random.nextBoolean() ? "1." + random.nextInt(9) : "")
                            .setDroppedAttributesCount(random.nextInt(3) == 0 ? random.nextInt(5) : 0);
                    if (random.nextBoolean()) {
                        scope.addAttributes(attribute("scope.attr"));
                    }
                    ss.setScope(scope);
                }
                if (random.nextInt(3) == 0) {
                    ss.setSchemaUrl("https://example.com/scope/" + random.nextInt(2));
                }
                int n = r == resources - 1 && s == scopes - 1 ? spans - made : 1 + random.nextInt(Math.max(1, spans - made));
                for (int i = 0; i < n; i++) {
                    ss.addSpans(span(id, spanIds, t0));
                    made++;
                }
                rs.addScopeSpans(ss);
            }
            rss.add(rs.build());
        }
        return new TraceEntry(id, rss);
    }

    private Resource resource() {
        Resource.Builder r = Resource.newBuilder();
        if (random.nextInt(12) != 0) {
            r.addAttributes(string("service.name", "service-" + random.nextInt(8)));
        }
        if (random.nextBoolean()) {
            r.addAttributes(string("k8s.namespace.name", "ns-" + random.nextInt(3)));
        }
        if (random.nextBoolean()) {
            r.addAttributes(string("host.name", "host-" + random.nextInt(20)));
        }
        if (random.nextInt(5) == 0) {
            // Wrong type for a dedicated column: must stay in the generic list.
            r.addAttributes(KeyValue.newBuilder().setKey("deployment.environment").setValue(AnyValue.newBuilder().setIntValue(3)));
        }
        int extra = random.nextInt(4);
        for (int i = 0; i < extra; i++) {
            r.addAttributes(attribute("res.attr." + random.nextInt(5)));
        }
        if (random.nextInt(6) == 0) {
            r.setDroppedAttributesCount(1 + random.nextInt(3));
        }
        if (random.nextInt(6) == 0) {
            r.addEntityRefs(EntityRef.newBuilder().setType("k8s.pod").addIdKeys("k8s.pod.uid").addDescriptionKeys("k8s.pod.name"));
        }
        return r.build();
    }

    private Span span(TraceId traceId, List<byte[]> spanIds, long t0) {
        byte[] sid = new byte[8];
        random.nextBytes(sid);
        Span.Builder s = Span.newBuilder()
                .setTraceId(traceId.toByteString())
                .setSpanId(ByteString.copyFrom(sid))
                .setName(random.nextInt(10) == 0 ? "" : "op-" + random.nextInt(12))
                .setKindValue(random.nextInt(6));
        if (!spanIds.isEmpty() && random.nextInt(6) != 0) {
            s.setParentSpanId(ByteString.copyFrom(spanIds.get(random.nextInt(spanIds.size()))));
        } else if (!spanIds.isEmpty() && random.nextInt(2) == 0) {
            byte[] orphanParent = new byte[8];
            random.nextBytes(orphanParent);
            s.setParentSpanId(ByteString.copyFrom(orphanParent));
        }
        spanIds.add(sid);
        long start = t0 + random.nextInt(1_000_000_000);
        s.setStartTimeUnixNano(start).setEndTimeUnixNano(start + random.nextInt(500_000_000));
        if (random.nextInt(4) == 0) {
            s.setTraceState("vendor=" + random.nextInt(100));
        }
        switch (random.nextInt(4)) {
            case 0 -> {}
            case 1 -> s.setStatus(Status.getDefaultInstance());
            case 2 -> s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom " + random.nextInt(3)));
            default -> s.setStatus(Status.newBuilder().setCodeValue(random.nextInt(3)));
        }
        if (random.nextInt(3) == 0) {
            s.setFlags(random.nextInt());
        }
        if (random.nextInt(5) == 0) {
            s.setDroppedAttributesCount(random.nextInt(4)).setDroppedEventsCount(random.nextInt(4)).setDroppedLinksCount(random.nextInt(4));
        }
        if (random.nextBoolean()) {
            s.addAttributes(string("http.method", random.nextBoolean() ? "GET" : "POST"));
            s.addAttributes(KeyValue.newBuilder().setKey("http.status_code")
                    .setValue(AnyValue.newBuilder().setIntValue(random.nextBoolean() ? 200 : 500)));
            s.addAttributes(string("http.url", "https://example.com/api/v1/items/" + random.nextInt(1000)));
        }
        if (random.nextInt(5) == 0) {
            s.addAttributes(string("http.status_code", "404")); // string where an int column exists
        }
        if (random.nextInt(7) == 0) {
            s.addAttributes(string("db.system", "postgresql"));
            s.addAttributes(string("db.system", "mysql")); // a duplicate key stays generic
        }
        int extra = random.nextInt(6);
        for (int i = 0; i < extra; i++) {
            s.addAttributes(attribute("attr." + random.nextInt(10)));
        }
        int events = random.nextInt(4) == 0 ? random.nextInt(3) : 0;
        for (int i = 0; i < events; i++) {
            Span.Event.Builder e = Span.Event.newBuilder().setTimeUnixNano(start + i).setName(i == 0 ? "exception" : "")
                    .setDroppedAttributesCount(random.nextInt(2));
            for (int a = random.nextInt(3); a > 0; a--) {
                e.addAttributes(attribute("event.attr." + a));
            }
            s.addEvents(e);
        }
        int links = random.nextInt(5) == 0 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < links; i++) {
            byte[] lt = new byte[random.nextInt(6) == 0 ? 8 : 16];
            random.nextBytes(lt);
            byte[] ls = new byte[8];
            random.nextBytes(ls);
            Span.Link.Builder l = Span.Link.newBuilder().setTraceId(ByteString.copyFrom(lt)).setSpanId(ByteString.copyFrom(ls))
                    .setTraceState(random.nextBoolean() ? "" : "k=v").setFlags(random.nextInt(3)).setDroppedAttributesCount(random.nextInt(2));
            if (random.nextBoolean()) {
                l.addAttributes(attribute("link.attr"));
            }
            s.addLinks(l);
        }
        return s.build();
    }

    static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    /** A random attribute of any kind, including the awkward ones. */
    KeyValue attribute(String key) {
        KeyValue.Builder kv = KeyValue.newBuilder().setKey(key);
        switch (random.nextInt(16)) {
            case 0 -> { } // no value at all
            case 1 -> kv.setValue(AnyValue.getDefaultInstance());
            case 2 -> kv.setValue(AnyValue.newBuilder().setStringValue(""));
            case 3 -> kv.setValue(AnyValue.newBuilder().setStringValue("value-" + random.nextInt(50) + " \u00e9\u4e2d\uD83D\uDE00"));
            case 4 -> kv.setValue(AnyValue.newBuilder().setBoolValue(random.nextBoolean()));
            case 5 -> kv.setValue(AnyValue.newBuilder().setIntValue(random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE));
            case 6 -> kv.setValue(AnyValue.newBuilder().setIntValue(random.nextLong()));
            case 7 -> kv.setValue(AnyValue.newBuilder().setDoubleValue(Double.NaN));
            case 8 -> kv.setValue(AnyValue.newBuilder().setDoubleValue(random.nextBoolean() ? -0.0 : Double.NEGATIVE_INFINITY));
            case 9 -> kv.setValue(AnyValue.newBuilder().setDoubleValue(random.nextGaussian()));
            case 10 -> {
                byte[] b = new byte[random.nextInt(20)];
                random.nextBytes(b);
                kv.setValue(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(b)));
            }
            case 11 -> kv.setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                    .addValues(AnyValue.newBuilder().setIntValue(1))
                    .addValues(AnyValue.newBuilder().setStringValue("two"))
                    .addValues(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setBoolValue(true))))));
            case 12 -> kv.setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.getDefaultInstance()));
            case 13 -> kv.setValue(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                    .addValues(string("nested", "x"))
                    .addValues(KeyValue.newBuilder().setKey("deeper").setValue(AnyValue.newBuilder().setKvlistValue(
                            KeyValueList.newBuilder().addValues(string("a", "b")))))));
            case 14 -> kv.setValue(AnyValue.newBuilder().setStringValueStrindex(random.nextInt(1000)));
            default -> kv.setValue(AnyValue.newBuilder().setDoubleValue(random.nextDouble() * 1e300));
        }
        return kv.build();
    }

    /**
     * A trace in a canonical form for comparison: one entry per span carrying its resource and
     * scope, attributes sorted (the format may reorder them), spans sorted by ID and start.
     */
    static List<ResourceSpans> canonical(List<ResourceSpans> trace) {
        List<ResourceSpans> flat = new ArrayList<>();
        for (ResourceSpans rs : trace) {
            ResourceSpans.Builder rb = rs.toBuilder().clearScopeSpans();
            if (rs.hasResource()) {
                rb.setResource(rs.getResource().toBuilder().clearAttributes().addAllAttributes(sorted(rs.getResource().getAttributesList())));
            }
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    Span.Builder sb = span.toBuilder().clearAttributes().addAllAttributes(sorted(span.getAttributesList()));
                    flat.add(rb.clone().addScopeSpans(ss.toBuilder().clearSpans().addSpans(sb)).build());
                }
            }
        }
        flat.sort(Comparator.comparing((ResourceSpans r) -> r.getScopeSpans(0).getSpans(0).getSpanId(), ByteString.unsignedLexicographicalComparator())
                .thenComparing(r -> r.getScopeSpans(0).getSpans(0).getStartTimeUnixNano())
                .thenComparing(ResourceSpans::toByteString, ByteString.unsignedLexicographicalComparator()));
        return flat;
    }

    private static List<KeyValue> sorted(List<KeyValue> attributes) {
        List<KeyValue> out = new ArrayList<>(attributes);
        out.sort(ATTRIBUTE_ORDER);
        return out;
    }
}
