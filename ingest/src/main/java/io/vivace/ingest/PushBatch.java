package io.vivace.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A validated batch of spans for one tenant. The wire form is what travels; the decoded spans are
 * only produced when someone asks for them (the OTLP protobuf path never decodes them).
 *
 * @param tenant the tenant
 * @param decoded gives the decoded spans (may decode {@code encoded} on every call; callers on hot
 *     paths should use {@code encoded})
 * @param encoded the spans in OTLP {@code TracesData} wire form (identical to an
 *     {@code ExportTraceServiceRequest} body), so the log stores them without re-encoding
 * @param spanCount number of spans
 */
public record PushBatch(String tenant, Supplier<List<ResourceSpans>> decoded, byte[] encoded, int spanCount) {
    public PushBatch {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(decoded, "decoded");
        Objects.requireNonNull(encoded, "encoded");
    }

    /** A batch whose spans are already decoded; {@code encoded} must hold the same spans. */
    public PushBatch(String tenant, List<ResourceSpans> resourceSpans, byte[] encoded, int spanCount) {
        this(tenant, constant(Objects.requireNonNull(resourceSpans, "resourceSpans")), encoded, spanCount);
    }

    /** A batch known only in wire form; {@link #resourceSpans()} decodes {@code encoded} on demand. */
    public static PushBatch ofEncoded(String tenant, byte[] encoded, int spanCount) {
        Objects.requireNonNull(encoded, "encoded");
        return new PushBatch(tenant, () -> decode(encoded), encoded, spanCount);
    }

    /** The decoded spans (decoding the wire form when the batch was made from it). */
    public List<ResourceSpans> resourceSpans() {
        return decoded.get();
    }

    private static Supplier<List<ResourceSpans>> constant(List<ResourceSpans> resourceSpans) {
        return () -> resourceSpans;
    }

    private static List<ResourceSpans> decode(byte[] encoded) {
        try {
            return TracesData.parseFrom(encoded).getResourceSpansList();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("push batch is not valid OTLP TracesData: " + e.getMessage(), e);
        }
    }
}
