package io.vivace.common.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations written the way Tempo's configuration and API write them (Go's {@code time.Duration}
 * syntax): {@code 300ms}, {@code 1.5s}, {@code 1h2m3s}, {@code 5m}; also {@code d} (days) and
 * {@code w} (weeks) as in Prometheus durations. A bare number is seconds. As in Go, the value must
 * fit in a signed 64-bit count of nanoseconds (about 292 years).
 */
public final class GoDuration {
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private GoDuration() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            throw bad(text);
        }
        // Strict grammar rather than Double.parseDouble, which would take "2d" and "2f" as Java
        // literals (2 seconds), and accept exponents, hex floats, NaN and Infinity.
        BigInteger nanos;
        int end = scanNumber(s, 0);
        if (end == s.length()) {
            nanos = toNanos(number(s, 0, end, text), NANOS_PER_SECOND);
        } else {
            nanos = BigInteger.ZERO;
            int i = 0;
            while (i < s.length()) {
                int numberEnd = scanNumber(s, i);
                BigDecimal value = number(s, i, numberEnd, text);
                int unitEnd = numberEnd;
                while (unitEnd < s.length() && !isNumberChar(s.charAt(unitEnd))) {
                    unitEnd++;
                }
                long unit = switch (s.substring(numberEnd, unitEnd)) {
                    case "ns" -> 1L;
                    case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    case "h" -> 3_600_000_000_000L;
                    case "d" -> 86_400_000_000_000L;
                    case "w" -> 7 * 86_400_000_000_000L;
                    default -> throw bad(text);
                };
                nanos = nanos.add(toNanos(value, BigDecimal.valueOf(unit)));
                if (nanos.compareTo(MAX_NANOS.add(BigInteger.ONE)) > 0) {
                    throw outOfRange(text);
                }
                i = unitEnd;
            }
        }
        if (negative) {
            nanos = nanos.negate();
        }
        if (nanos.compareTo(MAX_NANOS) > 0 || nanos.compareTo(MIN_NANOS) < 0) {
            throw outOfRange(text);
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /**
     * Formats {@code d} in the shortest Go form: zero components are left out ({@code 1h0m0s} is
     * {@code 1h}), below one second the unit is {@code ms}, {@code us} or {@code ns}
     * ({@code 1.5ms}), and zero is {@code 0s}. Always accepted by {@link #parse(String)} and by Go.
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (d.isNegative()) {
            sb.append('-');
            d = d.negated(); // Duration's range is wider than 64-bit nanos, so this cannot overflow
        }
        long seconds = d.getSeconds();
        int nano = d.getNano();
        if (seconds == 0) {
            if (nano < 1_000) {
                return sb.append(nano).append("ns").toString();
            }
            if (nano < 1_000_000) {
                return sb.append(decimal(nano, 3)).append("us").toString();
            }
            return sb.append(decimal(nano, 6)).append("ms").toString();
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (secs > 0 || nano > 0) {
            sb.append(decimal(secs * 1_000_000_000L + nano, 9)).append('s');
        }
        return sb.toString();
    }

    private static String decimal(long unscaled, int scale) {
        return BigDecimal.valueOf(unscaled, scale).stripTrailingZeros().toPlainString();
    }

    /** End of the number starting at {@code from}: ASCII digits with at most one dot. */
    private static int scanNumber(String s, int from) {
        int i = from;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    private static BigDecimal number(String s, int from, int to, String text) {
        String n = s.substring(from, to);
        if (n.isEmpty() || n.equals(".")) {
            throw bad(text);
        }
        return new BigDecimal(n.endsWith(".") ? n.substring(0, n.length() - 1) : n.startsWith(".") ? "0" + n : n);
    }

    /** Like Go, fractions of a nanosecond are dropped. */
    private static BigInteger toNanos(BigDecimal value, BigDecimal unitNanos) {
        return value.multiply(unitNanos).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNumberChar(char c) {
        return isDigit(c) || c == '.';
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\" (expected: e.g. 500ms, 5s, 1h30m, 2d)");
    }

    private static IllegalArgumentException outOfRange(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\" (expected: at most 2562047h47m16.854775807s)");
    }
}
