package io.vivace.storage.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vivace.storage.object.ObjectNotFoundException;
import io.vivace.storage.object.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A tenant's block list in one object, {@code <tenant>/index.json.gz}, written by the compactor
 * after each cycle, so that queriers read one object per poll instead of listing the bucket and
 * reading every block's meta. Gzipped JSON: {@code {"createdAtUnixMillis": …, "blocks": [meta, …],
 * "hidden": [block ID, …]}} with each meta in its {@code meta.json} form and the IDs of blocks that
 * were compacted, replaced or expired. Readers fall back to listing when the index is
 * missing, unreadable or older than they accept (a stopped compactor).
 */
public final class TenantIndex {
    /** Object name under the tenant's prefix. */
    public static final String NAME = "index.json.gz";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One read index.
     *
     * @param createdAtUnixMillis when the compactor wrote it
     * @param blocks the visible blocks then
     * @param hidden blocks that existed then but were compacted, replaced or expired
     */
    public record Snapshot(long createdAtUnixMillis, List<BlockMeta> blocks, java.util.Set<java.util.UUID> hidden) {
        /**
         * Whether the index knew {@code block} when it was written; a block it does not know is
         * newer than the index and must come from elsewhere (a listing, a hand-over).
         */
        public boolean knows(java.util.UUID block) {
            return hidden.contains(block) || blocks.stream().anyMatch(m -> m.blockId().equals(block));
        }
    }

    private TenantIndex() {
    }

    /** Writes the index of {@code tenant} from a listing (atomically replacing the previous one). */
    public static void write(ObjectStore store, String tenant, BlockStore.Listing listing, long nowMillis) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("createdAtUnixMillis", nowMillis);
        ArrayNode blocks = root.putArray("blocks");
        for (BlockMeta m : listing.visible()) {
            blocks.add(MAPPER.readTree(BlockMetaJson.toJson(m)));
        }
        ArrayNode hidden = root.putArray("hidden");
        listing.compacted().keySet().forEach(id -> hidden.add(id.toString()));
        listing.replaced().forEach(id -> hidden.add(id.toString()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            MAPPER.writeValue(gz, root);
        }
        store.write(tenant + "/" + NAME, bytes.toByteArray());
    }

    /** The tenant's index, empty when there is none or it cannot be read (the caller lists instead). */
    public static Optional<Snapshot> read(ObjectStore store, String tenant) {
        byte[] raw;
        try {
            raw = store.read(tenant + "/" + NAME);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            JsonNode root = MAPPER.readTree(gz);
            List<BlockMeta> blocks = new ArrayList<>();
            for (JsonNode b : root.path("blocks")) {
                blocks.add(BlockMetaJson.fromJson(MAPPER.writeValueAsBytes(b)));
            }
            if (!root.has("createdAtUnixMillis")) {
                return Optional.empty();
            }
            java.util.Set<java.util.UUID> hidden = new java.util.HashSet<>();
            for (JsonNode id : root.path("hidden")) {
                hidden.add(java.util.UUID.fromString(id.asText()));
            }
            return Optional.of(new Snapshot(root.get("createdAtUnixMillis").asLong(), List.copyOf(blocks), java.util.Set.copyOf(hidden)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
