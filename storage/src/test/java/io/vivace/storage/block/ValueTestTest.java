package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.Static;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The TraceQL comparison rules of {@link ValueTest}, and the hex parsing of ID literals. */
class ValueTestTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void numbersCompareExactlyAcrossIntFloatAndDuration() {
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Float(1.0)).testLong(1)).isTrue();
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Duration(1_000_000)).testLong(1_000_000)).isTrue();
        assertThat(new ValueTest(BinaryOperator.GT, new Static.Float(1.5)).testLong(1)).isFalse();
        assertThat(new ValueTest(BinaryOperator.GT, new Static.Float(1.5)).testLong(2)).isTrue();
        // 2^53 + 1 is not a double: a long compared through double would call them equal.
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Float(9007199254740992.0)).testLong(9007199254740993L)).isFalse();
        assertThat(new ValueTest(BinaryOperator.LT, new Static.Int(9007199254740993L)).testDouble(9007199254740992.0)).isTrue();
        assertThat(new ValueTest(BinaryOperator.GT, new Static.Float(1e30)).testLong(Long.MAX_VALUE)).isFalse();
        assertThat(new ValueTest(BinaryOperator.GT, new Static.Float(-1e30)).testLong(Long.MIN_VALUE)).isTrue();
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Float(0.0)).testDouble(-0.0)).isTrue();
        assertThat(new ValueTest(BinaryOperator.NEQ, new Static.Int(1)).testDouble(Double.NaN)).isTrue();
        assertThat(new ValueTest(BinaryOperator.LT, new Static.Int(1)).testDouble(Double.NaN)).isFalse();
    }

    @Test
    void noCoercionBetweenStringsAndNumbers() {
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Str("200")).testLong(200)).isFalse();
        assertThat(new ValueTest(BinaryOperator.NEQ, new Static.Str("200")).testLong(5)).isFalse();
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Int(200)).testString(utf8("200"))).isFalse();
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Bool(true)).testLong(1)).isFalse();
        assertThat(new ValueTest(BinaryOperator.LT, new Static.Bool(true)).testBool(false)).isFalse();
    }

    @Test
    void stringsCompareByteWiseAndRegexesAreAnchored() {
        assertThat(new ValueTest(BinaryOperator.GT, new Static.Str("1999")).testString(utf8("200"))).isTrue();
        assertThat(new ValueTest(BinaryOperator.LT, new Static.Str("\u00e9")).testString(utf8("z"))).isTrue();
        assertThat(new ValueTest(BinaryOperator.REGEX, new Static.Str("hello")).testString(utf8("hello world"))).isFalse();
        assertThat(new ValueTest(BinaryOperator.REGEX, new Static.Str("hello.*")).testString(utf8("hello\nworld"))).isTrue();
        assertThat(new ValueTest(BinaryOperator.NOT_REGEX, new Static.Str("a|b")).testString(utf8("ab"))).isTrue();
    }

    @Test
    void arraysMatchElementWise() {
        byte[] array = ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a"))
                .addValues(AnyValue.newBuilder().setIntValue(3)).build().toByteArray();
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Str("a")).testArray(array)).isTrue();
        assertThat(new ValueTest(BinaryOperator.GT, new Static.Int(2)).testArray(array)).isTrue();
        assertThat(new ValueTest(BinaryOperator.GT, new Static.Int(3)).testArray(array)).isFalse();
        assertThat(new ValueTest(BinaryOperator.NEQ, new Static.Str("a")).testArray(array)).isFalse();
        assertThat(new ValueTest(BinaryOperator.NEQ, new Static.Str("b")).testArray(array)).isTrue();
        assertThat(new ValueTest(BinaryOperator.NOT_REGEX, new Static.Str("[ab]")).testArray(array)).isFalse();
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Str("a")).testArray(ArrayValue.getDefaultInstance().toByteArray())).isFalse();
        byte[] nested = ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setArrayValue(ArrayValue.getDefaultInstance()))
                .build().toByteArray();
        assertThat(new ValueTest(BinaryOperator.EQ, new Static.Str("a")).testArray(nested)).as("may match").isTrue();
    }

    @Test
    void hexLiteralsIgnoreLeadingZerosAndCase() {
        assertThat(SpanConditions.parseHex("00AB", 8)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0xab);
        assertThat(SpanConditions.parseHex("1ab", 8)).containsExactly(0, 0, 0, 0, 0, 0, 0x01, 0xab);
        assertThat(SpanConditions.parseHex("0000000000000000" + "ffffffffffffffff", 8)).containsExactly(
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
        assertThat(SpanConditions.parseHex("1ffffffffffffffff", 8)).isNull();
        assertThat(SpanConditions.parseHex("xyz", 8)).isNull();
        assertThat(SpanConditions.parseHex("\u0661", 8)).as("non-ASCII digit").isNull();
        assertThat(SpanConditions.parseHex("", 16)).hasSize(16).containsOnly(0);
    }
}
