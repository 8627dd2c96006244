package io.vivace.storage.block;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.vivace.traceql.Regexes;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.Static;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One TraceQL comparison {@code value op literal} applied to stored values, with the rules of
 * {@code traceql.md} §7.3–7.5: no coercion between strings and numbers (a mismatch is false),
 * int/float/duration compare numerically and exactly, strings byte-wise, regexes fully anchored
 * (RE2 via re2j), bools by equality only, arrays element-wise. {@code nil} literals are not handled
 * here: presence tests are separate terms.
 */
final class ValueTest {
    final BinaryOperator op;
    final Static literal;
    /** The string literal as UTF-8, or null. */
    final byte[] utf8;
    private final com.google.re2j.Pattern regex;

    ValueTest(BinaryOperator op, Static literal) {
        this.op = Objects.requireNonNull(op, "op");
        this.literal = Objects.requireNonNull(literal, "literal");
        this.utf8 = literal instanceof Static.Str s ? s.value().getBytes(StandardCharsets.UTF_8) : null;
        this.regex = (op == BinaryOperator.REGEX || op == BinaryOperator.NOT_REGEX) && literal instanceof Static.Str s
                ? Regexes.compile(s.value()) : null;
    }

    boolean isString() {
        return utf8 != null;
    }

    boolean isNumeric() {
        return literal.isNumeric();
    }

    boolean isBool() {
        return literal instanceof Static.Bool;
    }

    boolean isRegex() {
        return regex != null;
    }

    /** A string value (UTF-8). */
    boolean testString(byte[] value) {
        if (utf8 == null) {
            return false;
        }
        return switch (op) {
            case REGEX -> regex.matches(value);
            case NOT_REGEX -> !regex.matches(value);
            case EQ -> Arrays.equals(value, utf8);
            case NEQ -> !Arrays.equals(value, utf8);
            default -> bySign(Arrays.compareUnsigned(value, utf8));
        };
    }

    /** An int value (int attributes, durations, counts). */
    boolean testLong(long value) {
        return switch (literal) {
            case Static.Int i -> bySign(Long.compare(value, i.value()));
            case Static.Duration d -> bySign(Long.compare(value, d.nanos()));
            case Static.Float f -> bySign(compare(value, f.value()));
            default -> false;
        };
    }

    /** A float value; NaN is unequal to everything and unordered. */
    boolean testDouble(double value) {
        if (!literal.isNumeric()) {
            return false;
        }
        if (Double.isNaN(value)) {
            return op == BinaryOperator.NEQ;
        }
        int c = switch (literal) {
            case Static.Int i -> -compare(i.value(), value);
            case Static.Duration d -> -compare(d.nanos(), value);
            case Static.Float f -> value < f.value() ? -1 : value > f.value() ? 1 : 0;
            default -> throw new IllegalStateException("numeric literal: " + literal);
        };
        return bySign(c);
    }

    /** A bool value: only {@code =} and {@code !=} apply. */
    boolean testBool(boolean value) {
        if (!(literal instanceof Static.Bool b)) {
            return false;
        }
        return switch (op) {
            case EQ -> value == b.value();
            case NEQ -> value != b.value();
            default -> false;
        };
    }

    /**
     * A serialized {@code ArrayValue}: {@code = =~ < <= > >=} hold when some element satisfies
     * them, {@code != !~} when no element is equal / matches. Elements that are themselves arrays,
     * kvlists or bytes make the answer "may match" (true), as does unparsable input.
     */
    boolean testArray(byte[] serialized) {
        ArrayValue array;
        try {
            array = ArrayValue.parseFrom(serialized);
        } catch (InvalidProtocolBufferException e) {
            return true;
        }
        boolean negated = op == BinaryOperator.NEQ || op == BinaryOperator.NOT_REGEX;
        ValueTest positive = negated ? new ValueTest(op == BinaryOperator.NEQ ? BinaryOperator.EQ : BinaryOperator.REGEX, literal, regex) : this;
        for (AnyValue v : array.getValuesList()) {
            Boolean r = positive.testScalar(v);
            if (r == null) {
                return true;
            }
            if (r) {
                return !negated;
            }
        }
        return negated;
    }

    private ValueTest(BinaryOperator op, Static literal, com.google.re2j.Pattern regex) {
        this.op = op;
        this.literal = literal;
        this.utf8 = literal instanceof Static.Str s ? s.value().getBytes(StandardCharsets.UTF_8) : null;
        this.regex = regex;
    }

    /** A scalar {@code AnyValue}; null when the value is not a scalar TraceQL compares. */
    private Boolean testScalar(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> testString(v.getStringValueBytes().toByteArray());
            case INT_VALUE -> testLong(v.getIntValue());
            case DOUBLE_VALUE -> testDouble(v.getDoubleValue());
            case BOOL_VALUE -> testBool(v.getBoolValue());
            case VALUE_NOT_SET -> false;
            default -> null;
        };
    }

    private boolean bySign(int c) {
        return switch (op) {
            case EQ -> c == 0;
            case NEQ -> c != 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            case GTE -> c >= 0;
            default -> false;
        };
    }

    /** Exact comparison of a long with a double that is not NaN (no rounding of the long). */
    static int compare(long a, double b) {
        if (b >= 0x1p63) {
            return -1;
        }
        if (b < -0x1p63) {
            return 1;
        }
        long whole = (long) b; // truncated toward zero; exact for |b| < 2^63
        if (a != whole) {
            return a < whole ? -1 : 1;
        }
        double fraction = b - whole; // exact
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
    }

    @Override
    public String toString() {
        return op.symbol() + " " + literal;
    }
}
