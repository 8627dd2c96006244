package io.vivace.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SpanIdsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void toLongReadsEightBytesBigEndian() {
        assertThat(SpanIds.toLong(ByteString.copyFrom(HEX.parseHex("0102030405060708")))).isEqualTo(0x0102030405060708L);
        assertThat(SpanIds.toLong(ByteString.copyFrom(HEX.parseHex("ffffffffffffffff")))).isEqualTo(-1L);
        assertThat(SpanIds.toLong(ByteString.copyFrom(HEX.parseHex("8000000000000000")))).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void toLongLeftPadsShortInputAndGivesZeroForEmpty() {
        assertThat(SpanIds.toLong(ByteString.copyFrom(HEX.parseHex("abcd")))).isEqualTo(0xabcdL);
        assertThat(SpanIds.toLong(ByteString.EMPTY)).isZero();
    }

    @Test
    void toLongKeepsTheLastEightBytesOfLongerInput() {
        assertThat(SpanIds.toLong(ByteString.copyFrom(HEX.parseHex("ff0102030405060708")))).isEqualTo(0x0102030405060708L);
    }

    @Test
    void toByteStringIsEightBigEndianBytes() {
        assertThat(SpanIds.toByteString(0x0102030405060708L).toByteArray()).isEqualTo(HEX.parseHex("0102030405060708"));
        assertThat(SpanIds.toByteString(1L).toByteArray()).isEqualTo(HEX.parseHex("0000000000000001"));
        assertThat(SpanIds.toByteString(0L).size()).isEqualTo(8);
    }

    @Test
    void byteStringRoundTrips() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            long id = random.nextLong();
            assertThat(SpanIds.toLong(SpanIds.toByteString(id))).isEqualTo(id);
        }
        assertThat(SpanIds.toLong(SpanIds.toByteString(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void toHexIsAlwaysSixteenLowercaseDigits() {
        assertThat(SpanIds.toHex(0L)).isEqualTo("0000000000000000");
        assertThat(SpanIds.toHex(0xABCL)).isEqualTo("0000000000000abc");
        assertThat(SpanIds.toHex(-1L)).isEqualTo("ffffffffffffffff");
        assertThat(SpanIds.toHex(0x676cc33d7b4b6263L)).isEqualTo("676cc33d7b4b6263");
    }
}
