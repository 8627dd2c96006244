package io.vivace.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracesTest {
    private static final TraceId TRACE_A = TraceId.parseHex("0af7651916cd43dd8448eb211c80319c");
    private static final TraceId TRACE_B = TraceId.parseHex("67360ce3b55285d3");
    private static final TraceId TRACE_C = TraceId.parseHex("ffffffffffffffffffffffffffffffff");

    private static final Resource SHOP = resource("shop");
    private static final Resource CART = resource("cart");
    private static final InstrumentationScope OTEL_GO = InstrumentationScope.newBuilder().setName("otel-go").setVersion("1.0").build();
    private static final InstrumentationScope MANUAL = InstrumentationScope.newBuilder().setName("manual").build();

    // ---- combine ----

    @Test
    void combineMergesPiecesWithSameResourceAndScope() {
        ResourceSpans first = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "a")));
        ResourceSpans second = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 2, SpanKind.SPAN_KIND_INTERNAL, "b"),
                span(TRACE_A, 3, SpanKind.SPAN_KIND_CLIENT, "c")));

        List<ResourceSpans> out = Traces.combine(List.of(first, second));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getResource()).isEqualTo(SHOP);
        assertThat(out.get(0).getScopeSpansList()).hasSize(1);
        assertThat(out.get(0).getScopeSpans(0).getScope()).isEqualTo(OTEL_GO);
        assertThat(names(out)).containsExactly("a", "b", "c");
    }

    @Test
    void combineKeepsDifferentResourcesApart() {
        ResourceSpans shop = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "shop")));
        ResourceSpans cart = rs(CART, ss(OTEL_GO, span(TRACE_A, 2, SpanKind.SPAN_KIND_SERVER, "cart")));
        ResourceSpans shopAgain = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 3, SpanKind.SPAN_KIND_CLIENT, "shop2")));

        List<ResourceSpans> out = Traces.combine(List.of(shop, cart, shopAgain));

        assertThat(out).extracting(ResourceSpans::getResource).containsExactly(SHOP, CART);
        assertThat(names(out.subList(0, 1))).containsExactly("shop", "shop2");
        assertThat(names(out.subList(1, 2))).containsExactly("cart");
    }

    @Test
    void combineKeepsDifferentSchemaUrlsApart() {
        ResourceSpans v1 = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "a"))).toBuilder()
                .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0").build();
        ResourceSpans v2 = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 2, SpanKind.SPAN_KIND_SERVER, "b"))).toBuilder()
                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0").build();

        List<ResourceSpans> out = Traces.combine(List.of(v1, v2));

        assertThat(out).extracting(ResourceSpans::getSchemaUrl)
                .containsExactly("https://opentelemetry.io/schemas/1.21.0", "https://opentelemetry.io/schemas/1.26.0");
    }

    @Test
    void combineKeepsDifferentScopesApartUnderOneResource() {
        ResourceSpans first = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "auto")));
        ResourceSpans second = rs(SHOP, ss(MANUAL, span(TRACE_A, 2, SpanKind.SPAN_KIND_INTERNAL, "manual")),
                ss(OTEL_GO, span(TRACE_A, 3, SpanKind.SPAN_KIND_CLIENT, "auto2")));

        List<ResourceSpans> out = Traces.combine(List.of(first, second));

        assertThat(out).hasSize(1);
        List<ScopeSpans> scopes = out.get(0).getScopeSpansList();
        assertThat(scopes).extracting(ScopeSpans::getScope).containsExactly(OTEL_GO, MANUAL);
        assertThat(scopes.get(0).getSpansList()).extracting(Span::getName).containsExactly("auto", "auto2");
        assertThat(scopes.get(1).getSpansList()).extracting(Span::getName).containsExactly("manual");
    }

    @Test
    void combineDropsDuplicateSpansFirstWins() {
        Span original = span(TRACE_A, 7, SpanKind.SPAN_KIND_SERVER, "first");
        Span duplicate = span(TRACE_A, 7, SpanKind.SPAN_KIND_SERVER, "second copy");
        ResourceSpans a = rs(SHOP, ss(OTEL_GO, original, span(TRACE_A, 8, SpanKind.SPAN_KIND_INTERNAL, "other")));
        ResourceSpans b = rs(SHOP, ss(OTEL_GO, duplicate));

        List<ResourceSpans> out = Traces.combine(List.of(a, b, a));

        assertThat(names(out)).containsExactly("first", "other");
        assertThat(Traces.spanCount(out)).isEqualTo(2);
    }

    @Test
    void combineDropsDuplicateEvenUnderAnotherResource() {
        ResourceSpans a = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 7, SpanKind.SPAN_KIND_SERVER, "kept")));
        ResourceSpans b = rs(CART, ss(OTEL_GO, span(TRACE_A, 7, SpanKind.SPAN_KIND_SERVER, "dropped")));

        List<ResourceSpans> out = Traces.combine(List.of(a, b));

        // The resource whose only span was a duplicate disappears: no empty ResourceSpans or ScopeSpans.
        assertThat(out).hasSize(1);
        assertThat(names(out)).containsExactly("kept");
    }

    @Test
    void combineKeepsZipkinSharedSpanIdsWithDifferentKinds() {
        Span client = span(TRACE_A, 42, SpanKind.SPAN_KIND_CLIENT, "client");
        Span server = span(TRACE_A, 42, SpanKind.SPAN_KIND_SERVER, "server");
        ResourceSpans caller = rs(SHOP, ss(OTEL_GO, client));
        ResourceSpans callee = rs(CART, ss(OTEL_GO, server));

        List<ResourceSpans> out = Traces.combine(List.of(caller, callee, caller));

        assertThat(names(out)).containsExactly("client", "server");
    }

    @Test
    void combineKeepsOrderOfFirstAppearance() {
        ResourceSpans a = rs(CART, ss(MANUAL, span(TRACE_A, 5, SpanKind.SPAN_KIND_SERVER, "c1"), span(TRACE_A, 4, SpanKind.SPAN_KIND_SERVER, "c2")));
        ResourceSpans b = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 3, SpanKind.SPAN_KIND_SERVER, "s1")));
        ResourceSpans c = rs(CART, ss(MANUAL, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "c3")));

        List<ResourceSpans> out = Traces.combine(List.of(a, b, c));

        assertThat(out).extracting(ResourceSpans::getResource).containsExactly(CART, SHOP);
        assertThat(names(out)).containsExactly("c1", "c2", "c3", "s1");
    }

    @Test
    void combineDoesNotMergeSpansOfDifferentTraces() {
        // Same span ID and kind, but different traces: both are real spans.
        ResourceSpans a = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 9, SpanKind.SPAN_KIND_SERVER, "in A")));
        ResourceSpans b = rs(SHOP, ss(OTEL_GO, span(TRACE_B, 9, SpanKind.SPAN_KIND_SERVER, "in B")));

        assertThat(names(Traces.combine(List.of(a, b)))).containsExactly("in A", "in B");
    }

    @Test
    void combineOfNothingIsEmpty() {
        assertThat(Traces.combine(List.of())).isEmpty();
        assertThat(Traces.combine(List.of(ResourceSpans.newBuilder().setResource(SHOP).build()))).isEmpty();
    }

    @Test
    void combineIsIdempotent() {
        ResourceSpans a = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "a")),
                ss(MANUAL, span(TRACE_A, 2, SpanKind.SPAN_KIND_INTERNAL, "b")));
        ResourceSpans b = rs(CART, ss(OTEL_GO, span(TRACE_A, 3, SpanKind.SPAN_KIND_SERVER, "c")));

        List<ResourceSpans> once = Traces.combine(List.of(a, b));
        List<ResourceSpans> twice = Traces.combine(List.of(once.get(0), once.get(1), a, b));

        assertThat(twice).isEqualTo(once);
    }

    // ---- splitByTrace ----

    @Test
    void splitByTraceSeparatesTracesAndPreservesResourceAndScope() {
        ResourceSpans shop = rs(SHOP,
                ss(OTEL_GO, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "a1"), span(TRACE_B, 2, SpanKind.SPAN_KIND_SERVER, "b1"),
                        span(TRACE_A, 3, SpanKind.SPAN_KIND_CLIENT, "a2")),
                ss(MANUAL, span(TRACE_B, 4, SpanKind.SPAN_KIND_INTERNAL, "b2"), span(TRACE_C, 5, SpanKind.SPAN_KIND_INTERNAL, "c1")));
        ResourceSpans cart = rs(CART, ss(OTEL_GO, span(TRACE_A, 6, SpanKind.SPAN_KIND_SERVER, "a3")));

        Map<TraceId, List<ResourceSpans>> out = Traces.splitByTrace(List.of(shop, cart));

        assertThat(out.keySet()).containsExactly(TRACE_A, TRACE_B, TRACE_C);

        List<ResourceSpans> a = out.get(TRACE_A);
        assertThat(a).extracting(ResourceSpans::getResource).containsExactly(SHOP, CART);
        assertThat(a.get(0).getScopeSpansList()).extracting(ScopeSpans::getScope).containsExactly(OTEL_GO);
        assertThat(a.get(0).getScopeSpans(0).getSpansList()).extracting(Span::getName).containsExactly("a1", "a2");
        assertThat(a.get(1).getScopeSpans(0).getSpansList()).extracting(Span::getName).containsExactly("a3");

        List<ResourceSpans> b = out.get(TRACE_B);
        assertThat(b).hasSize(1);
        assertThat(b.get(0).getResource()).isEqualTo(SHOP);
        assertThat(b.get(0).getScopeSpansList()).extracting(ScopeSpans::getScope).containsExactly(OTEL_GO, MANUAL);
        assertThat(names(b)).containsExactly("b1", "b2");

        List<ResourceSpans> c = out.get(TRACE_C);
        assertThat(c).hasSize(1);
        assertThat(c.get(0).getScopeSpansList()).extracting(ScopeSpans::getScope).containsExactly(MANUAL);
        assertThat(names(c)).containsExactly("c1");
    }

    @Test
    void splitByTraceKeepsSchemaUrls() {
        ResourceSpans in = ResourceSpans.newBuilder().setResource(SHOP).setSchemaUrl("res-schema")
                .addScopeSpans(ss(OTEL_GO, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "a")).toBuilder().setSchemaUrl("scope-schema"))
                .build();

        ResourceSpans out = Traces.splitByTrace(List.of(in)).get(TRACE_A).get(0);

        assertThat(out.getSchemaUrl()).isEqualTo("res-schema");
        assertThat(out.getScopeSpans(0).getSchemaUrl()).isEqualTo("scope-schema");
        assertThat(out).isEqualTo(in);
    }

    @Test
    void splitByTraceOfManyTracesLosesNoSpan() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            spans.add(span(new TraceId(0, i % 97 + 1), i + 1, SpanKind.SPAN_KIND_INTERNAL, "s" + i));
        }
        ResourceSpans batch = rs(SHOP, ss(OTEL_GO, spans.toArray(Span[]::new)));

        Map<TraceId, List<ResourceSpans>> out = Traces.splitByTrace(List.of(batch));

        assertThat(out).hasSize(97);
        int total = 0;
        for (Map.Entry<TraceId, List<ResourceSpans>> e : out.entrySet()) {
            total += Traces.spanCount(e.getValue());
            for (ResourceSpans rs : e.getValue()) {
                assertThat(rs.getResource()).isEqualTo(SHOP);
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    assertThat(ss.getScope()).isEqualTo(OTEL_GO);
                    assertThat(ss.getSpansList()).allSatisfy(s -> assertThat(TraceId.fromByteString(s.getTraceId())).isEqualTo(e.getKey()));
                }
            }
        }
        assertThat(total).isEqualTo(1000);
        // Span order within a trace is kept.
        assertThat(names(out.get(new TraceId(0, 1)))).startsWith("s0", "s97", "s194");
    }

    @Test
    void splitByTraceTreatsShortTraceIdsAsLeftPadded() {
        Span shortId = span(TRACE_B, 1, SpanKind.SPAN_KIND_SERVER, "short").toBuilder()
                .setTraceId(ByteString.copyFrom(java.util.HexFormat.of().parseHex("67360ce3b55285d3"))).build();
        Span fullId = span(TRACE_B, 2, SpanKind.SPAN_KIND_SERVER, "full");

        Map<TraceId, List<ResourceSpans>> out = Traces.splitByTrace(List.of(rs(SHOP, ss(OTEL_GO, shortId, fullId))));

        assertThat(out.keySet()).containsExactly(TRACE_B);
        assertThat(names(out.get(TRACE_B))).containsExactly("short", "full");
    }

    @Test
    void splitByTraceOfEmptyBatchIsEmpty() {
        assertThat(Traces.splitByTrace(List.of())).isEmpty();
        assertThat(Traces.splitByTrace(List.of(rs(SHOP, ScopeSpans.newBuilder().setScope(OTEL_GO).build())))).isEmpty();
    }

    @Test
    void spanCountCountsEverySpan() {
        ResourceSpans a = rs(SHOP, ss(OTEL_GO, span(TRACE_A, 1, SpanKind.SPAN_KIND_SERVER, "a"), span(TRACE_A, 2, SpanKind.SPAN_KIND_SERVER, "b")),
                ss(MANUAL, span(TRACE_A, 3, SpanKind.SPAN_KIND_SERVER, "c")));
        assertThat(Traces.spanCount(List.of(a, a))).isEqualTo(6);
        assertThat(Traces.spanCount(List.of())).isZero();
    }

    // ---- helpers ----

    static Resource resource(String service) {
        return Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service)))
                .build();
    }

    static Span span(TraceId trace, long spanId, SpanKind kind, String name) {
        return Span.newBuilder()
                .setTraceId(trace.toByteString())
                .setSpanId(SpanIds.toByteString(spanId))
                .setKind(kind)
                .setName(name)
                .setStartTimeUnixNano(1_700_000_000_000_000_000L + spanId)
                .build();
    }

    static ScopeSpans ss(InstrumentationScope scope, Span... spans) {
        return ScopeSpans.newBuilder().setScope(scope).addAllSpans(List.of(spans)).build();
    }

    static ResourceSpans rs(Resource resource, ScopeSpans... scopes) {
        return ResourceSpans.newBuilder().setResource(resource).addAllScopeSpans(List.of(scopes)).build();
    }

    static List<String> names(List<ResourceSpans> trace) {
        List<String> names = new ArrayList<>();
        for (ResourceSpans rs : trace) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    names.add(s.getName());
                }
            }
        }
        return names;
    }
}
