package io.vivace.distributor.zipkin;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Zipkin v2 span, decoded from JSON or proto3 but not yet translated. IDs are already numbers:
 * both decoders reject malformed IDs, so translation cannot fail on them.
 *
 * @param traceIdHigh high 64 bits of the trace ID (0 for a 64-bit Zipkin trace ID)
 * @param traceIdLow low 64 bits of the trace ID
 * @param id the span ID
 * @param parentId the parent span ID, or {@code null} for a root span
 * @param name the span name, or {@code null}
 * @param kind {@code CLIENT}, {@code SERVER}, {@code PRODUCER}, {@code CONSUMER}, or {@code null}
 * @param timestampMicros start in epoch microseconds, or {@code null} when absent
 * @param durationMicros duration in microseconds, or {@code null} when absent
 * @param localEndpoint the endpoint that recorded the span, or {@code null}
 * @param remoteEndpoint the other side of an RPC or message, or {@code null}
 * @param annotations timestamped events, in order
 * @param tags string tags, in order
 * @param debug Zipkin's debug flag, or {@code null}
 * @param shared whether this server span shares its ID with the client span, or {@code null}
 */
public record ZipkinSpan(
        long traceIdHigh,
        long traceIdLow,
        long id,
        Long parentId,
        String name,
        String kind,
        Long timestampMicros,
        Long durationMicros,
        Endpoint localEndpoint,
        Endpoint remoteEndpoint,
        List<Annotation> annotations,
        Map<String, String> tags,
        Boolean debug,
        Boolean shared) {

    /** Checks the collections. */
    public ZipkinSpan {
        Objects.requireNonNull(annotations, "annotations");
        Objects.requireNonNull(tags, "tags");
    }

    /**
     * A Zipkin endpoint.
     *
     * @param serviceName the service, or {@code null}
     * @param ipv4 dotted IPv4 address, or {@code null}
     * @param ipv6 IPv6 address text, or {@code null}
     * @param port the port, 0 when absent
     */
    public record Endpoint(String serviceName, String ipv4, String ipv6, int port) {}

    /**
     * A Zipkin annotation.
     *
     * @param timestampMicros epoch microseconds
     * @param value the text
     */
    public record Annotation(long timestampMicros, String value) {}
}
