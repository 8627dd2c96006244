package io.vivace.common.config;

import java.time.Duration;

/**
 * Durations written the way Tempo's configuration and API write them (Go's {@code time.Duration}
 * syntax): {@code 300ms}, {@code 1.5s}, {@code 1h2m3s}, {@code 5m}; also {@code d} for days as in
 * Prometheus durations. A bare number is seconds.
 */
public final class GoDuration {
    private GoDuration() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"\" (expected: e.g. 500ms, 5s, 1h30m)");
        }
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        try {
            double plainSeconds = Double.parseDouble(s);
            Duration d = Duration.ofNanos(Math.round(plainSeconds * 1e9));
            return negative ? d.negated() : d;
        } catch (NumberFormatException ignored) {
            // fall through to unit syntax
        }
        long nanos = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw bad(text);
            }
            double value;
            try {
                value = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw bad(text);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                case "w" -> 7 * 86_400_000_000_000L;
                default -> throw bad(text);
            };
            nanos += Math.round(value * unit);
        }
        Duration d = Duration.ofNanos(nanos);
        return negative ? d.negated() : d;
    }

    /** Formats {@code d} in the shortest Go form ({@code 1h0m0s} becomes {@code 1h}). */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long nanos = d.toNanos();
        if (nanos < 0) {
            sb.append('-');
            nanos = -nanos;
        }
        long hours = nanos / 3_600_000_000_000L;
        nanos %= 3_600_000_000_000L;
        long minutes = nanos / 60_000_000_000L;
        nanos %= 60_000_000_000L;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (nanos > 0) {
            if (nanos % 1_000_000_000L == 0) {
                sb.append(nanos / 1_000_000_000L).append('s');
            } else if (nanos < 1_000_000_000L && nanos % 1_000_000L == 0) {
                sb.append(nanos / 1_000_000L).append("ms");
            } else if (nanos < 1_000_000L && nanos % 1_000L == 0) {
                sb.append(nanos / 1_000L).append("us");
            } else if (nanos < 1_000L) {
                sb.append(nanos).append("ns");
            } else {
                sb.append(java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString()).append('s');
            }
        }
        return sb.toString();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\" (expected: e.g. 500ms, 5s, 1h30m)");
    }
}
