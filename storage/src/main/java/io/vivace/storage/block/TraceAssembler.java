package io.vivace.storage.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.TraceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups decoded spans of one trace back into {@link ResourceSpans} and {@link ScopeSpans}: spans
 * with equal resources (and resource schema URL) share a ResourceSpans, and within it spans with
 * equal scopes (and scope schema URL) share a ScopeSpans. Groups keep first-seen (row) order.
 */
final class TraceAssembler {
    private final TraceId id;
    private final Map<ResourceKey, Map<ScopeKey, ScopeSpans.Builder>> groups = new LinkedHashMap<>();
    private int spans;

    TraceAssembler(TraceId id) {
        this.id = id;
    }

    TraceId id() {
        return id;
    }

    int spans() {
        return spans;
    }

    /** Adds a span; a null resource or scope means the message was absent. */
    void add(Resource resource, ByteString resourceSchemaUrl, InstrumentationScope scope, ByteString scopeSchemaUrl, Span span) {
        groups.computeIfAbsent(new ResourceKey(resource, resourceSchemaUrl), k -> new LinkedHashMap<>())
                .computeIfAbsent(new ScopeKey(scope, scopeSchemaUrl), k -> {
                    ScopeSpans.Builder b = ScopeSpans.newBuilder().setSchemaUrlBytes(k.schemaUrl());
                    if (k.scope() != null) {
                        b.setScope(k.scope());
                    }
                    return b;
                })
                .addSpans(span);
        spans++;
    }

    TraceEntry build() {
        List<ResourceSpans> out = new ArrayList<>(groups.size());
        groups.forEach((rk, scopes) -> {
            ResourceSpans.Builder b = ResourceSpans.newBuilder().setSchemaUrlBytes(rk.schemaUrl());
            if (rk.resource() != null) {
                b.setResource(rk.resource());
            }
            scopes.values().forEach(b::addScopeSpans);
            out.add(b.build());
        });
        return new TraceEntry(id, List.copyOf(out));
    }

    private record ResourceKey(Resource resource, ByteString schemaUrl) {}

    private record ScopeKey(InstrumentationScope scope, ByteString schemaUrl) {}
}
