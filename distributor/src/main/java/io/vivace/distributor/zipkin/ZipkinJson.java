package io.vivace.distributor.zipkin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the Zipkin v2 JSON list ({@code POST /api/v2/spans}). Unknown fields are ignored; every
 * malformed field is an {@link IllegalArgumentException} naming the span index and the field.
 */
public final class ZipkinJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ZipkinJson() {}

    /**
     * Parses a Zipkin v2 JSON array of spans.
     *
     * @throws IllegalArgumentException when the body is not a JSON array of valid spans, with the reason
     */
    public static List<ZipkinSpan> parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + describe(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("malformed JSON: empty body (expected: a JSON array of Zipkin v2 spans)");
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException("malformed JSON: expected a JSON array of Zipkin v2 spans, got "
                    + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<ZipkinSpan> spans = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            if (!node.isObject()) {
                throw new IllegalArgumentException("span[" + i + "]: expected a JSON object");
            }
            spans.add(span(node, "span[" + i + "]"));
        }
        return spans;
    }

    private static ZipkinSpan span(JsonNode n, String where) {
        String traceIdHex = requiredText(n, "traceId", where);
        long[] traceId = ZipkinIds.traceId(traceIdHex, where + ".traceId");
        long id = ZipkinIds.spanId(requiredText(n, "id", where), where + ".id");
        String parentHex = optionalText(n, "parentId", where);
        Long parentId = parentHex == null || parentHex.isEmpty() ? null : ZipkinIds.spanId(parentHex, where + ".parentId");
        return new ZipkinSpan(
                traceId[0], traceId[1], id, parentId,
                optionalText(n, "name", where),
                optionalText(n, "kind", where),
                optionalLong(n, "timestamp", where),
                optionalLong(n, "duration", where),
                endpoint(n.get("localEndpoint"), where + ".localEndpoint"),
                endpoint(n.get("remoteEndpoint"), where + ".remoteEndpoint"),
                annotations(n.get("annotations"), where + ".annotations"),
                tags(n.get("tags"), where + ".tags"),
                optionalBoolean(n, "debug", where),
                optionalBoolean(n, "shared", where));
    }

    private static ZipkinSpan.Endpoint endpoint(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object");
        }
        Long port = optionalLong(n, "port", where);
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException(where + ".port: " + port + " (expected: 0-65535)");
        }
        return new ZipkinSpan.Endpoint(
                optionalText(n, "serviceName", where),
                optionalText(n, "ipv4", where),
                optionalText(n, "ipv6", where),
                port == null ? 0 : port.intValue());
    }

    private static List<ZipkinSpan.Annotation> annotations(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(where + ": expected a JSON array");
        }
        List<ZipkinSpan.Annotation> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode a = n.get(i);
            String at = where + "[" + i + "]";
            if (!a.isObject()) {
                throw new IllegalArgumentException(at + ": expected a JSON object");
            }
            Long ts = optionalLong(a, "timestamp", at);
            String value = optionalText(a, "value", at);
            if (ts == null) {
                throw new IllegalArgumentException(at + ".timestamp: missing (expected: epoch microseconds)");
            }
            out.add(new ZipkinSpan.Annotation(ts, value == null ? "" : value));
        }
        return out;
    }

    private static Map<String, String> tags(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            JsonNode v = e.getValue();
            // Zipkin tags are strings; numbers and booleans sent by lax clients are kept as their text.
            if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                out.put(e.getKey(), v.asText());
            } else if (!v.isNull()) {
                throw new IllegalArgumentException(where + "." + e.getKey() + ": expected a string");
            }
        }
        return out;
    }

    private static String requiredText(JsonNode n, String field, String where) {
        String v = optionalText(n, field, where);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(where + "." + field + ": missing (expected: a hex string)");
        }
        return v;
    }

    private static String optionalText(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + ": expected a string, got " + abbreviate(v.toString()));
        }
        return v.asText();
    }

    private static Long optionalLong(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 9.0e18) {
            return (long) v.asDouble();
        }
        throw new IllegalArgumentException(where + "." + field + ": expected an integer, got " + abbreviate(v.toString()));
    }

    private static Boolean optionalBoolean(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(where + "." + field + ": expected true or false, got " + abbreviate(v.toString()));
        }
        return v.asBoolean();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    static String describe(IOException e) {
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            return firstLine(j.getOriginalMessage()) + " at line " + j.getLocation().getLineNr() + ", column "
                    + j.getLocation().getColumnNr();
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
