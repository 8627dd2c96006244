package io.vivace.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceIdTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void fromBytesReadsSixteenBytesBigEndian() {
        TraceId id = TraceId.fromBytes(HEX.parseHex("0102030405060708090a0b0c0d0e0f10"));

        assertThat(id.high()).isEqualTo(0x0102030405060708L);
        assertThat(id.low()).isEqualTo(0x090a0b0c0d0e0f10L);
    }

    @Test
    void fromBytesLeftPadsEightByteIds() {
        TraceId id = TraceId.fromBytes(HEX.parseHex("67360ce3b55285d3"));

        assertThat(id).isEqualTo(new TraceId(0, 0x67360ce3b55285d3L));
        assertThat(id.toBytes()).isEqualTo(HEX.parseHex("000000000000000067360ce3b55285d3"));
    }

    @Test
    void fromBytesLeftPadsShortAndEmptyInput() {
        assertThat(TraceId.fromBytes(new byte[] {(byte) 0xff})).isEqualTo(new TraceId(0, 0xff));
        assertThat(TraceId.fromBytes(HEX.parseHex("aabbccddeeff00112233"))).isEqualTo(new TraceId(0xaabbL, 0xccddeeff00112233L));
        assertThat(TraceId.fromBytes(new byte[0]).isZero()).isTrue();
    }

    @Test
    void fromBytesRejectsMoreThanSixteenBytes() {
        assertThatThrownBy(() -> TraceId.fromBytes(new byte[17]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("can't be larger than 128 bits")
                .hasMessageContaining("136 bits");
    }

    @Test
    void fromByteStringMatchesFromBytes() {
        byte[] full = HEX.parseHex("fedcba98765432100123456789abcdef");
        byte[] half = HEX.parseHex("8000000000000001");

        assertThat(TraceId.fromByteString(ByteString.copyFrom(full))).isEqualTo(TraceId.fromBytes(full));
        assertThat(TraceId.fromByteString(ByteString.copyFrom(half))).isEqualTo(new TraceId(0, 0x8000000000000001L));
        assertThat(TraceId.fromByteString(ByteString.EMPTY)).isEqualTo(new TraceId(0, 0));
        assertThatThrownBy(() -> TraceId.fromByteString(ByteString.copyFrom(new byte[20])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromByteStringReadsSubstrings() {
        // A ByteString that is a view into a larger buffer must be read from its own start.
        ByteString whole = ByteString.copyFrom(HEX.parseHex("ffff0102030405060708090a0b0c0d0e0f10ffff"));
        ByteString view = whole.substring(2, 18);

        assertThat(TraceId.fromByteString(view).toHex()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
    }

    @Test
    void toByteStringRoundTrips() {
        TraceId id = new TraceId(0x8000000000000000L, -1L);

        assertThat(id.toByteString().size()).isEqualTo(16);
        assertThat(TraceId.fromByteString(id.toByteString())).isEqualTo(id);
    }

    @Test
    void writeToAndFromBytesAtOffsetRoundTrip() {
        TraceId a = TraceId.parseHex("0123456789abcdeffedcba9876543210");
        TraceId b = new TraceId(-1L, 1L);
        byte[] buf = new byte[3 + 2 * TraceId.BYTES];
        buf[0] = 0x7f;

        a.writeTo(buf, 3);
        b.writeTo(buf, 3 + TraceId.BYTES);

        assertThat(buf[0]).isEqualTo((byte) 0x7f);
        assertThat(TraceId.fromBytes(buf, 3)).isEqualTo(a);
        assertThat(TraceId.fromBytes(buf, 3 + TraceId.BYTES)).isEqualTo(b);
        assertThat(HEX.formatHex(buf, 3, 19)).isEqualTo("0123456789abcdeffedcba9876543210");
    }

    @Test
    void parseHexAcceptsAnyCase() {
        TraceId lower = TraceId.parseHex("0123456789abcdef0123456789abcdef");
        TraceId upper = TraceId.parseHex("0123456789ABCDEF0123456789ABCDEF");
        TraceId mixed = TraceId.parseHex("0123456789aBcDeF0123456789AbCdEf");

        assertThat(upper).isEqualTo(lower);
        assertThat(mixed).isEqualTo(lower);
        assertThat(lower).isEqualTo(new TraceId(0x0123456789abcdefL, 0x0123456789abcdefL));
    }

    @Test
    void parseHexLeftPadsSixteenDigitIdsToMatchZeroHighBytes() {
        TraceId short64 = TraceId.parseHex("67360ce3b55285d3");
        TraceId padded = TraceId.parseHex("000000000000000067360ce3b55285d3");
        TraceId stored = TraceId.fromBytes(HEX.parseHex("000000000000000067360ce3b55285d3"));

        assertThat(short64).isEqualTo(padded).isEqualTo(stored);
        assertThat(short64.hashCode()).isEqualTo(stored.hashCode());
    }

    @Test
    void parseHexToleratesOddLength() {
        assertThat(TraceId.parseHex("abc")).isEqualTo(new TraceId(0, 0xabc));
        assertThat(TraceId.parseHex("1")).isEqualTo(new TraceId(0, 1));
        assertThat(TraceId.parseHex("f")).isEqualTo(TraceId.parseHex("0f"));
        // 17 digits: the top digit lands in the high half.
        assertThat(TraceId.parseHex("1ffffffffffffffff")).isEqualTo(new TraceId(1, -1L));
        // 31 digits: the first nibble is zero.
        assertThat(TraceId.parseHex("123456789abcdef0123456789abcdef").toHex()).isEqualTo("0123456789abcdef0123456789abcdef");
    }

    @Test
    void parseHexAcceptsEveryLengthFromOneToThirtyTwo() {
        String digits = "fedcba9876543210fedcba9876543210";
        for (int len = 1; len <= 32; len++) {
            String hex = digits.substring(32 - len);
            TraceId id = TraceId.parseHex(hex);
            String expected = "0".repeat(32 - len) + hex;
            assertThat(id.toHex()).as("length %d", len).isEqualTo(expected);
        }
    }

    @Test
    void parseHexRejectsNonHexWithTempoMessage() {
        assertThatThrownBy(() -> TraceId.parseHex("12x4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace IDs can only contain hex characters: invalid character 'x' at position 3");
        assertThatThrownBy(() -> TraceId.parseHex("g"))
                .hasMessage("trace IDs can only contain hex characters: invalid character 'g' at position 1");
        assertThatThrownBy(() -> TraceId.parseHex("abc-def"))
                .hasMessage("trace IDs can only contain hex characters: invalid character '-' at position 4");
        assertThatThrownBy(() -> TraceId.parseHex("abc "))
                .hasMessage("trace IDs can only contain hex characters: invalid character ' ' at position 4");
    }

    @Test
    void parseHexChecksCharactersBeforeLength() {
        // Tempo reports a bad character even when the ID is also too long.
        String tooLongAndBad = "0".repeat(40) + "z";
        assertThatThrownBy(() -> TraceId.parseHex(tooLongAndBad))
                .hasMessage("trace IDs can only contain hex characters: invalid character 'z' at position 41");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\u0661\u0662", // Arabic-Indic digits: Character.digit accepts them, Tempo does not
        "\uff21\uff22", // fullwidth A and B
        "\u096a"        // Devanagari four
    })
    void parseHexRejectsNonAsciiDigits(String hex) {
        assertThatThrownBy(() -> TraceId.parseHex(hex))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trace IDs can only contain hex characters: invalid character '" + hex.charAt(0) + "' at position 1");
    }

    @Test
    void parseHexReportsSupplementaryCharactersWholeAtTheirRunePosition() {
        // Tempo splits the string into runes: the emoji is one character, at position 3.
        assertThatThrownBy(() -> TraceId.parseHex("ab\uD83D\uDE00cd"))
                .hasMessage("trace IDs can only contain hex characters: invalid character '\uD83D\uDE00' at position 3");
        assertThatThrownBy(() -> TraceId.parseHex("\uD83D\uDE00\uD83D\uDE00x"))
                .hasMessage("trace IDs can only contain hex characters: invalid character '\uD83D\uDE00' at position 1");
    }

    @Test
    void parseHexRejectsMoreThanThirtyTwoDigits() {
        assertThatThrownBy(() -> TraceId.parseHex("0".repeat(33)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace IDs can't be larger than 128 bits");
        assertThatThrownBy(() -> TraceId.parseHex("1" + "0".repeat(33)))
                .hasMessage("trace IDs can't be larger than 128 bits");
    }

    @Test
    void parseHexRejectsEmptyAndNull() {
        assertThatThrownBy(() -> TraceId.parseHex("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceId.parseHex(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toHexIsThirtyTwoLowercaseDigits() {
        assertThat(new TraceId(0, 0).toHex()).isEqualTo("0".repeat(32));
        assertThat(new TraceId(0, 0xABCL).toHex()).isEqualTo("00000000000000000000000000000abc");
        assertThat(new TraceId(-1L, -1L).toHex()).isEqualTo("f".repeat(32));
        assertThat(new TraceId(0x1L, 0x2L).toString()).isEqualTo("00000000000000010000000000000002");
    }

    @Test
    void toHexRoundTripsThroughParseHex() {
        TraceId id = new TraceId(0x8badf00ddeadbeefL, 0x0000000000c0ffeeL);

        assertThat(TraceId.parseHex(id.toHex())).isEqualTo(id);
        assertThat(TraceId.parseHex(id.toTrimmedHex())).isEqualTo(id);
    }

    @Test
    void toTrimmedHexTrimsLeadingZerosLikeTempoSearchResults() {
        assertThat(TraceId.parseHex("000000000000000067360ce3b55285d3").toTrimmedHex()).isEqualTo("67360ce3b55285d3");
        assertThat(TraceId.parseHex("0000000000000000067360ce3b55285d").toTrimmedHex()).isEqualTo("67360ce3b55285d");
        assertThat(TraceId.parseHex("0123456789abcdef0123456789abcdef").toTrimmedHex()).hasSize(31)
                .isEqualTo("123456789abcdef0123456789abcdef");
        assertThat(TraceId.parseHex("f123456789abcdef0123456789abcdef").toTrimmedHex()).hasSize(32);
        // Inner zeros are kept.
        assertThat(new TraceId(1, 0).toTrimmedHex()).isEqualTo("10000000000000000");
        assertThat(new TraceId(0, 0).toTrimmedHex()).isEqualTo("0");
    }

    @Test
    void ordersUnsignedByteByByte() {
        TraceId zero = new TraceId(0, 0);
        TraceId lowMax = new TraceId(0, -1L);          // 0000..ffff..
        TraceId highOne = new TraceId(1, 0);
        TraceId highTopBit = new TraceId(Long.MIN_VALUE, 0); // 8000..
        TraceId max = new TraceId(-1L, -1L);
        TraceId lowTopBit = new TraceId(0, Long.MIN_VALUE);
        TraceId lowSmall = new TraceId(0, 0x7fffffffffffffffL);

        List<TraceId> ids = new ArrayList<>(List.of(max, highTopBit, lowMax, zero, highOne, lowTopBit, lowSmall));
        Collections.shuffle(ids, new java.util.Random(42));
        Collections.sort(ids);

        assertThat(ids).containsExactly(zero, lowSmall, lowTopBit, lowMax, highOne, highTopBit, max);
    }

    @Test
    void orderingMatchesUnsignedByteComparison() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 500; i++) {
            TraceId a = new TraceId(random.nextLong(), random.nextLong());
            TraceId b = random.nextBoolean() ? new TraceId(a.high(), random.nextLong()) : new TraceId(random.nextLong(), random.nextLong());
            int bytes = Integer.signum(java.util.Arrays.compareUnsigned(a.toBytes(), b.toBytes()));
            assertThat(Integer.signum(a.compareTo(b))).as("%s vs %s", a, b).isEqualTo(bytes);
        }
        TraceId x = new TraceId(5, 6);
        assertThat(x.compareTo(new TraceId(5, 6))).isZero();
    }

    @Test
    void isZeroOnlyForAllZeroBits() {
        assertThat(new TraceId(0, 0).isZero()).isTrue();
        assertThat(new TraceId(0, 1).isZero()).isFalse();
        assertThat(new TraceId(1, 0).isZero()).isFalse();
    }
}
