package io.vivace.ingest;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.Objects;

/**
 * A validated batch of spans for one tenant.
 *
 * @param tenant the tenant
 * @param resourceSpans the decoded spans
 * @param encoded the same spans in OTLP {@code TracesData} wire form (identical to an
 *     {@code ExportTraceServiceRequest} body), so the log stores them without re-encoding
 * @param spanCount number of spans
 */
public record PushBatch(String tenant, List<ResourceSpans> resourceSpans, byte[] encoded, int spanCount) {
    public PushBatch {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(resourceSpans, "resourceSpans");
        Objects.requireNonNull(encoded, "encoded");
    }
}
