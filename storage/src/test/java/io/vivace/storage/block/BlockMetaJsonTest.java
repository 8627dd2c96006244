package io.vivace.storage.block;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BlockMetaJsonTest {
    private static final BlockMeta META = new BlockMeta("vArrow1", UUID.fromString("0b7d2d5e-8c55-4a3e-9d0e-1f2a3b4c5d6e"),
            "t", 1, 2, 3, 4, 5, 0, 6, 7, "00000000000000000000000000000001", "ffffffffffffffffffffffffffffffff");

    @Test
    void roundTripsWithStatistics() throws IOException {
        byte[] json = BlockMetaJson.toJson(META, Map.of("dataSize", 123));
        assertThat(BlockMetaJson.fromJson(json)).isEqualTo(META);
        assertThat(BlockMetaJson.statistics(json).get("dataSize").asInt()).isEqualTo(123);
        assertThat(new String(json, UTF_8)).contains("\"blockId\" : \"0b7d2d5e-8c55-4a3e-9d0e-1f2a3b4c5d6e\"");
    }

    @Test
    void ignoresUnknownFields() throws IOException {
        String json = new String(BlockMetaJson.toJson(META), UTF_8).replaceFirst("\\{", "{\"fromTheFuture\": {\"x\": [1, 2]},");
        assertThat(BlockMetaJson.fromJson(json.getBytes(UTF_8))).isEqualTo(META);
    }

    @Test
    void rejectsMalformedOrIncompleteJson() {
        assertThatThrownBy(() -> BlockMetaJson.fromJson("{not json".getBytes(UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> BlockMetaJson.fromJson("{\"format\":\"vArrow1\"}".getBytes(UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("blockId");
    }
}
