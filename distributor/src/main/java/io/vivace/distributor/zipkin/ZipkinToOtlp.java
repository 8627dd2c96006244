package io.vivace.distributor.zipkin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates Zipkin v2 spans into OTLP, following the OpenTelemetry Collector's Zipkin translator
 * (the one Tempo's Zipkin receiver runs), so that spans look the same whether they went through a
 * Collector or straight into Vivace:
 *
 * <ul>
 *   <li>IDs: 64-bit trace IDs are left-padded with zero bytes to 128 bits; a parent ID equal to the
 *       span's own ID, or all zero, means no parent.
 *   <li>{@code kind}: CLIENT, SERVER, PRODUCER, CONSUMER map to the OTLP kinds. Absent, it is
 *       {@code SPAN_KIND_UNSPECIFIED} as in the Collector, unless the tag {@code span.kind} is
 *       {@code internal} (then {@code SPAN_KIND_INTERNAL}, and the tag is consumed).
 *   <li>{@code localEndpoint.serviceName} becomes the resource's {@code service.name} (no service
 *       name: no {@code service.name} attribute); tags that are resource attributes in the
 *       semantic conventions ({@code host.*}, {@code k8s.*}, {@code service.version}, ...) move to the
 *       resource. Spans are grouped into one {@link ResourceSpans} per distinct resource, in order of
 *       first appearance, and into one {@link ScopeSpans} per {@code otel.scope.name} /
 *       {@code otel.library.name} tag.
 *   <li>Endpoints use the Collector's (semantic conventions 1.6) attribute names: local
 *       {@code net.host.ip} / {@code net.host.port}; remote {@code peer.service} (its service name),
 *       {@code net.peer.ip} and {@code net.peer.port}. Ports are integer attributes.
 *   <li>{@code timestamp} and {@code duration} are microseconds; an absent timestamp gives a start of
 *       0 and the attribute {@code otel.zipkin.absentField.startTime = true}, as in the Collector.
 *   <li>Tags are string attributes. {@code otel.status_code} ({@code OK}/{@code ERROR} as OTel SDKs
 *       write it, or {@code STATUS_CODE_*} as the Collector writes it) with {@code otel.status_description}
 *       sets the status. An {@code error} tag other than {@code false} sets {@code STATUS_CODE_ERROR};
 *       its value becomes the status message unless it is {@code true} or empty (Zipkin instrumentations
 *       write the error message there). {@code w3c.tracestate} becomes the trace state. Consumed tags
 *       are not repeated as attributes.
 *   <li>Annotations become events (epoch microseconds to nanoseconds). The Collector's own encoding
 *       {@code name|{json attributes}|dropped count} is decoded; any other value is the event name as is
 *       (the Collector would cut it at the first {@code |}).
 *   <li>{@code debug} and {@code shared} have no OTLP field and are dropped, as in the Collector;
 *       a shared server span keeps its kind, which is what Tempo's deduplication keys on.
 * </ul>
 */
public final class ZipkinToOtlp {
    /** Attribute the Collector sets when a Zipkin span had no timestamp. */
    public static final String START_TIME_ABSENT = "otel.zipkin.absentField.startTime";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Tag keys (exact) that are resource attributes in the semantic conventions. */
    private static final List<String> RESOURCE_KEYS = List.of(
            "service.namespace", "service.instance.id", "service.version",
            "telemetry.auto.version", "deployment.environment", "deployment.environment.name");
    /** Tag key prefixes that are resource attributes in the semantic conventions. */
    private static final List<String> RESOURCE_PREFIXES = List.of(
            "telemetry.sdk.", "host.", "k8s.", "container.", "cloud.", "os.", "process.", "faas.", "device.",
            "webengine.");

    private ZipkinToOtlp() {}

    /**
     * Translates {@code spans}.
     *
     * @throws IllegalArgumentException when a time does not fit OTLP's nanoseconds, naming the span
     */
    public static List<ResourceSpans> translate(List<ZipkinSpan> spans) {
        Map<ResourceKey, Map<ScopeKey, ScopeSpans.Builder>> grouped = new LinkedHashMap<>();
        for (int i = 0; i < spans.size(); i++) {
            ZipkinSpan z = spans.get(i);
            Map<String, String> tags = new LinkedHashMap<>(z.tags());
            ResourceKey rk = resourceKey(z, tags);
            ScopeKey sk = scopeKey(tags);
            Span span = span(z, tags, "span[" + i + "]");
            grouped.computeIfAbsent(rk, k -> new LinkedHashMap<>())
                    .computeIfAbsent(sk, k -> ScopeSpans.newBuilder().setScope(
                            InstrumentationScope.newBuilder().setName(k.name()).setVersion(k.version())))
                    .addSpans(span);
        }
        List<ResourceSpans> out = new ArrayList<>(grouped.size());
        grouped.forEach((rk, scopes) -> {
            Resource.Builder resource = Resource.newBuilder();
            if (rk.serviceName() != null) {
                resource.addAttributes(stringAttribute("service.name", rk.serviceName()));
            }
            rk.attributes().forEach((k, v) -> resource.addAttributes(stringAttribute(k, v)));
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource);
            scopes.values().forEach(rs::addScopeSpans);
            out.add(rs.build());
        });
        return out;
    }

    private static ResourceKey resourceKey(ZipkinSpan z, Map<String, String> tags) {
        String service = z.localEndpoint() == null ? null : z.localEndpoint().serviceName();
        if (service != null && service.isEmpty()) {
            service = null;
        }
        // Sorted so that equal resources from differently ordered tags group together.
        Map<String, String> attributes = new TreeMap<>();
        Iterator<Map.Entry<String, String>> it = tags.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            if (isResourceKey(e.getKey())) {
                attributes.put(e.getKey(), e.getValue());
                it.remove();
            }
        }
        return new ResourceKey(service, attributes);
    }

    private static boolean isResourceKey(String key) {
        if (RESOURCE_KEYS.contains(key)) {
            return true;
        }
        for (String prefix : RESOURCE_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static ScopeKey scopeKey(Map<String, String> tags) {
        String name = firstNonNull(tags.remove("otel.scope.name"), tags.remove("otel.library.name"));
        String version = firstNonNull(tags.remove("otel.scope.version"), tags.remove("otel.library.version"));
        return new ScopeKey(name == null ? "" : name, version == null ? "" : version);
    }

    private static Span span(ZipkinSpan z, Map<String, String> tags, String where) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(new TraceId(z.traceIdHigh(), z.traceIdLow()).toByteString())
                .setSpanId(SpanIds.toByteString(z.id()))
                .setName(z.name() == null ? "" : z.name());
        Long parent = z.parentId();
        if (parent != null && parent != 0 && parent != z.id()) {
            b.setParentSpanId(SpanIds.toByteString(parent));
        }
        String traceState = tags.remove("w3c.tracestate");
        if (traceState != null) {
            b.setTraceState(traceState);
        }
        b.setKind(kind(z.kind(), tags));
        b.setStatus(status(tags));

        for (Map.Entry<String, String> e : tags.entrySet()) {
            b.addAttributes(stringAttribute(e.getKey(), e.getValue()));
        }
        // Endpoint attributes come after the tags and replace same-named tags, as in the Collector.
        ZipkinSpan.Endpoint local = z.localEndpoint();
        if (local != null) {
            putString(b, "net.host.ip", firstNonEmpty(local.ipv6(), local.ipv4()));
            if (local.port() > 0) {
                putInt(b, "net.host.port", local.port());
            }
        }
        ZipkinSpan.Endpoint remote = z.remoteEndpoint();
        if (remote != null) {
            putString(b, "peer.service", emptyToNull(remote.serviceName()));
            putString(b, "net.peer.ip", firstNonEmpty(remote.ipv6(), remote.ipv4()));
            if (remote.port() > 0) {
                putInt(b, "net.peer.port", remote.port());
            }
        }

        long durationMicros = z.durationMicros() == null ? 0 : z.durationMicros();
        if (durationMicros < 0) {
            throw new IllegalArgumentException(where + ".duration: " + durationMicros + " (expected: >= 0 microseconds)");
        }
        long startNanos;
        if (z.timestampMicros() == null || z.timestampMicros() == 0) {
            startNanos = 0;
            b.addAttributes(KeyValue.newBuilder().setKey(START_TIME_ABSENT)
                    .setValue(AnyValue.newBuilder().setBoolValue(true)));
        } else {
            startNanos = microsToNanos(z.timestampMicros(), where + ".timestamp");
        }
        long endNanos;
        try {
            endNanos = Math.addExact(startNanos, microsToNanos(durationMicros, where + ".duration"));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(where + ": timestamp + duration is after the year 2262");
        }
        b.setStartTimeUnixNano(startNanos).setEndTimeUnixNano(endNanos);

        for (int i = 0; i < z.annotations().size(); i++) {
            ZipkinSpan.Annotation a = z.annotations().get(i);
            b.addEvents(event(a, where + ".annotations[" + i + "]"));
        }
        return b.build();
    }

    private static Span.SpanKind kind(String kind, Map<String, String> tags) {
        String k = kind == null ? "" : kind.toUpperCase(Locale.ROOT);
        switch (k) {
            case "CLIENT":
                return Span.SpanKind.SPAN_KIND_CLIENT;
            case "SERVER":
                return Span.SpanKind.SPAN_KIND_SERVER;
            case "PRODUCER":
                return Span.SpanKind.SPAN_KIND_PRODUCER;
            case "CONSUMER":
                return Span.SpanKind.SPAN_KIND_CONSUMER;
            default:
                String tag = tags.get("span.kind");
                if (tag != null && tag.equals("internal")) {
                    tags.remove("span.kind");
                    return Span.SpanKind.SPAN_KIND_INTERNAL;
                }
                return Span.SpanKind.SPAN_KIND_UNSPECIFIED;
        }
    }

    private static Status status(Map<String, String> tags) {
        Status.Builder s = Status.newBuilder();
        String code = tags.remove("otel.status_code");
        String description = tags.remove("otel.status_description");
        if (code != null) {
            switch (code.toUpperCase(Locale.ROOT)) {
                case "OK", "STATUS_CODE_OK" -> s.setCode(Status.StatusCode.STATUS_CODE_OK);
                case "ERROR", "STATUS_CODE_ERROR" -> s.setCode(Status.StatusCode.STATUS_CODE_ERROR);
                default -> s.setCode(Status.StatusCode.STATUS_CODE_UNSET);
            }
            if (description != null) {
                s.setMessage(description);
            }
        }
        String error = tags.get("error");
        if (error != null && !error.equalsIgnoreCase("false")) {
            tags.remove("error");
            s.setCode(Status.StatusCode.STATUS_CODE_ERROR);
            if (!error.isEmpty() && !error.equalsIgnoreCase("true")) {
                s.setMessage(error);
            } else if (description != null) {
                s.setMessage(description);
            }
        }
        return s.build();
    }

    private static Span.Event event(ZipkinSpan.Annotation a, String where) {
        Span.Event.Builder e = Span.Event.newBuilder()
                .setTimeUnixNano(microsToNanos(a.timestampMicros(), where + ".timestamp"));
        String value = a.value();
        if (!decodeCollectorEvent(value, e)) {
            e.setName(value);
        }
        return e.build();
    }

    /** Decodes the Collector's {@code name|{json}|dropped} annotation form; false when {@code value} is not one. */
    private static boolean decodeCollectorEvent(String value, Span.Event.Builder e) {
        int first = value.indexOf('|');
        int last = value.lastIndexOf('|');
        if (first < 0 || last <= first) {
            return false;
        }
        String json = value.substring(first + 1, last);
        String dropped = value.substring(last + 1);
        if (!json.startsWith("{") || dropped.isEmpty() || !dropped.chars().allMatch(Character::isDigit)) {
            return false;
        }
        JsonNode attributes;
        try {
            attributes = MAPPER.readTree(json);
        } catch (IOException ex) {
            return false;
        }
        if (attributes == null || !attributes.isObject()) {
            return false;
        }
        long droppedCount;
        try {
            droppedCount = Long.parseLong(dropped);
        } catch (NumberFormatException ex) {
            return false;
        }
        e.setName(value.substring(0, first));
        for (Map.Entry<String, JsonNode> f : attributes.properties()) {
            JsonNode v = f.getValue();
            AnyValue.Builder av = AnyValue.newBuilder();
            if (v.isTextual()) {
                av.setStringValue(v.asText());
            } else if (v.isBoolean()) {
                av.setBoolValue(v.asBoolean());
            } else if (v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
                av.setIntValue(v.asLong());
            } else if (v.isNumber()) {
                av.setDoubleValue(v.asDouble());
            } else {
                continue;
            }
            e.addAttributes(KeyValue.newBuilder().setKey(f.getKey()).setValue(av));
        }
        e.setDroppedAttributesCount((int) Math.min(Integer.MAX_VALUE, droppedCount));
        return true;
    }

    private static long microsToNanos(long micros, String where) {
        if (micros < 0) {
            throw new IllegalArgumentException(where + ": " + micros + " (expected: >= 0 microseconds)");
        }
        try {
            return Math.multiplyExact(micros, 1000L);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(where + ": " + micros
                    + " microseconds is after the year 2262 (expected: epoch microseconds)");
        }
    }

    private static void putString(Span.Builder b, String key, String value) {
        if (value == null) {
            return;
        }
        removeAttribute(b, key);
        b.addAttributes(stringAttribute(key, value));
    }

    private static void putInt(Span.Builder b, String key, long value) {
        removeAttribute(b, key);
        b.addAttributes(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)));
    }

    private static void removeAttribute(Span.Builder b, String key) {
        for (int i = b.getAttributesCount() - 1; i >= 0; i--) {
            if (b.getAttributes(i).getKey().equals(key)) {
                b.removeAttributes(i);
            }
        }
    }

    private static KeyValue stringAttribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String firstNonEmpty(String a, String b) {
        return a != null && !a.isEmpty() ? a : emptyToNull(b);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private record ResourceKey(String serviceName, Map<String, String> attributes) {}

    private record ScopeKey(String name, String version) {}
}
