package io.vivace.model;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Operations on traces held as OTLP {@link ResourceSpans}: combining pieces and splitting batches. */
public final class Traces {
    private Traces() {}

    /**
     * Combines pieces of one trace into one list of {@link ResourceSpans}: pieces with equal
     * resources and scopes are merged, and a span seen twice (same span ID and kind, as Tempo's
     * deduper keys it, so Zipkin's shared client/server IDs survive) is kept once, first wins.
     */
    public static List<ResourceSpans> combine(Iterable<ResourceSpans> pieces) {
        Map<ResourceKey, Map<ScopeKey, ScopeSpans.Builder>> grouped = new LinkedHashMap<>();
        Set<SpanKey> seen = new HashSet<>();
        for (ResourceSpans rs : pieces) {
            ResourceKey rk = new ResourceKey(rs.getResource(), rs.getSchemaUrl());
            Map<ScopeKey, ScopeSpans.Builder> scopes = grouped.computeIfAbsent(rk, k -> new LinkedHashMap<>());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                ScopeSpans.Builder target = scopes.computeIfAbsent(new ScopeKey(ss.getScope(), ss.getSchemaUrl()),
                        k -> ScopeSpans.newBuilder().setScope(k.scope()).setSchemaUrl(k.schemaUrl()));
                for (Span span : ss.getSpansList()) {
                    if (seen.add(new SpanKey(span.getTraceId(), span.getSpanId(), span.getKindValue()))) {
                        target.addSpans(span);
                    }
                }
            }
        }
        List<ResourceSpans> out = new ArrayList<>(grouped.size());
        grouped.forEach((rk, scopes) -> {
            ResourceSpans.Builder b = ResourceSpans.newBuilder().setResource(rk.resource()).setSchemaUrl(rk.schemaUrl());
            scopes.values().forEach(s -> {
                if (s.getSpansCount() > 0) {
                    b.addScopeSpans(s);
                }
            });
            if (b.getScopeSpansCount() > 0) {
                out.add(b.build());
            }
        });
        return out;
    }

    /**
     * Splits a batch into one list of {@link ResourceSpans} per trace ID, keeping each span's resource
     * and scope. The map iterates in first-seen order.
     */
    public static Map<TraceId, List<ResourceSpans>> splitByTrace(List<ResourceSpans> batch) {
        Map<TraceId, List<ResourceSpans>> out = new LinkedHashMap<>();
        for (ResourceSpans rs : batch) {
            Map<TraceId, Map<Integer, ScopeSpans.Builder>> perTrace = new LinkedHashMap<>();
            List<ScopeSpans> scopeList = rs.getScopeSpansList();
            for (int si = 0; si < scopeList.size(); si++) {
                ScopeSpans ss = scopeList.get(si);
                for (Span span : ss.getSpansList()) {
                    TraceId id = TraceId.fromByteString(span.getTraceId());
                    final int scopeIndex = si;
                    perTrace.computeIfAbsent(id, k -> new LinkedHashMap<>())
                            .computeIfAbsent(si, k -> ScopeSpans.newBuilder()
                                    .setScope(scopeList.get(scopeIndex).getScope())
                                    .setSchemaUrl(scopeList.get(scopeIndex).getSchemaUrl()))
                            .addSpans(span);
                }
            }
            perTrace.forEach((id, scopes) -> {
                ResourceSpans.Builder b = ResourceSpans.newBuilder().setResource(rs.getResource()).setSchemaUrl(rs.getSchemaUrl());
                scopes.values().forEach(b::addScopeSpans);
                out.computeIfAbsent(id, k -> new ArrayList<>(2)).add(b.build());
            });
        }
        return out;
    }

    /** Number of spans in {@code resourceSpans}. */
    public static int spanCount(Iterable<ResourceSpans> resourceSpans) {
        int n = 0;
        for (ResourceSpans rs : resourceSpans) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                n += ss.getSpansCount();
            }
        }
        return n;
    }

    private record ResourceKey(Resource resource, String schemaUrl) {}

    private record ScopeKey(InstrumentationScope scope, String schemaUrl) {}

    /**
     * Identity of a span for de-duplication. The whole trace ID is part of the key (a hash alone
     * could collide and drop a real span of another trace); the kind keeps Zipkin's shared
     * client/server span IDs apart.
     */
    private record SpanKey(ByteString traceId, ByteString spanId, int kind) {}
}
