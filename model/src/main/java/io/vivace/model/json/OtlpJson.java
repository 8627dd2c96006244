package io.vivace.model.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OTLP/JSON as defined by the OTLP specification: protobuf JSON, except that trace and span IDs are
 * hex strings instead of base64. Unknown fields are ignored; enums may be integers or names; 64-bit
 * integers may be numbers or strings.
 */
public final class OtlpJson {
    // Trailing tokens fail: "{...} garbage" is a malformed body, not a request with ignored suffix.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private OtlpJson() {}

    /**
     * Parses an OTLP/JSON {@code ExportTraceServiceRequest}.
     *
     * @throws IllegalArgumentException when the body is not valid OTLP/JSON, with the reason
     */
    public static ExportTraceServiceRequest parseRequest(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("malformed JSON: expected an object with resourceSpans");
        }
        rewriteIds(root);
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        try {
            PARSER.merge(MAPPER.writeValueAsString(root), b);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalArgumentException("invalid OTLP/JSON: " + firstLine(e.getMessage()), e);
        }
        return b.build();
    }

    /** Rewrites hex IDs to base64 in place so that the protobuf JSON parser reads them as bytes. */
    private static void rewriteIds(JsonNode root) {
        for (JsonNode rs : arrays(root, "resourceSpans", "resource_spans")) {
            for (JsonNode ss : arrays(rs, "scopeSpans", "scope_spans")) {
                for (JsonNode span : arrays(ss, "spans", "spans")) {
                    hexToBase64(span, "traceId", "trace_id");
                    hexToBase64(span, "spanId", "span_id");
                    hexToBase64(span, "parentSpanId", "parent_span_id");
                    for (JsonNode link : arrays(span, "links", "links")) {
                        hexToBase64(link, "traceId", "trace_id");
                        hexToBase64(link, "spanId", "span_id");
                    }
                }
            }
        }
    }

    private static Iterable<JsonNode> arrays(JsonNode parent, String camel, String snake) {
        JsonNode n = parent.get(camel);
        if (n == null) {
            n = parent.get(snake);
        }
        return n instanceof ArrayNode a ? a : java.util.List.of();
    }

    private static void hexToBase64(JsonNode node, String camel, String snake) {
        if (!(node instanceof ObjectNode obj)) {
            return;
        }
        for (String field : new String[] {camel, snake}) {
            JsonNode v = obj.get(field);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isTextual()) {
                throw new IllegalArgumentException("invalid OTLP/JSON: " + field + " must be a hex string");
            }
            String hex = v.asText();
            byte[] bytes;
            try {
                bytes = HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid OTLP/JSON: " + field + " is not hex: \"" + abbreviate(hex) + "\"");
            }
            obj.set(field, TextNode.valueOf(Base64.getEncoder().encodeToString(bytes)));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
