package io.vivace.storage.block;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * Reads and writes {@code meta.json}. Writing adds optional statistics next to the
 * {@link BlockMeta} fields; reading ignores every field it does not know, so that a block written by
 * a newer Vivace with extra fields stays readable.
 */
public final class BlockMetaJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, true);

    private BlockMetaJson() {}

    /** {@code meta} as JSON. */
    public static byte[] toJson(BlockMeta meta) {
        return toJson(meta, Map.of());
    }

    /** {@code meta} as JSON, with {@code extra} top-level fields (statistics) after its own. */
    public static byte[] toJson(BlockMeta meta, Map<String, ?> extra) {
        try {
            ObjectNode node = MAPPER.valueToTree(meta);
            extra.forEach((k, v) -> node.set(k, MAPPER.valueToTree(v)));
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("can't serialize block meta " + meta.blockId(), e);
        }
    }

    /**
     * Parses {@code meta.json}.
     *
     * @throws IOException when the JSON is malformed or lacks format, blockId or tenant
     */
    public static BlockMeta fromJson(byte[] json) throws IOException {
        JsonNode node;
        BlockMeta meta;
        try {
            node = MAPPER.readTree(json);
            meta = MAPPER.treeToValue(node, BlockMeta.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("meta.json: " + e.getMessage(), e);
        }
        if (meta == null || meta.format() == null || meta.blockId() == null || meta.tenant() == null) {
            throw new IOException("meta.json: missing format, blockId or tenant");
        }
        return meta;
    }

    /** The statistics fields ({@code extra} of {@link #toJson(BlockMeta, Map)}) of {@code json}, as a tree. */
    public static JsonNode statistics(byte[] json) throws IOException {
        ObjectNode node = (ObjectNode) MAPPER.readTree(json);
        for (var c : BlockMeta.class.getRecordComponents()) {
            node.remove(c.getName());
        }
        return node;
    }
}
