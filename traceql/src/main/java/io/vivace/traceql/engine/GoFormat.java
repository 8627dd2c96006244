package io.vivace.traceql.engine;

import java.math.BigDecimal;

/**
 * Renders numbers the way Tempo (Go) does in responses: durations as {@code time.Duration.String()}
 * ({@code 1.2s}, {@code 150ms}, {@code 1h0m0s}) and floats as {@code strconv.FormatFloat(f, 'g',
 * -1, 64)}.
 */
public final class GoFormat {
    private static final long SECOND = 1_000_000_000L;

    private GoFormat() {
    }

    /** Go's {@code time.Duration(nanos).String()}. */
    public static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean negative = nanos < 0;
        // The magnitude as an unsigned number (Long.MIN_VALUE stays 2^63).
        long u = negative ? -nanos : nanos;
        StringBuilder sb = new StringBuilder(24);
        if (negative) {
            sb.append('-');
        }
        if (Long.compareUnsigned(u, SECOND) < 0) {
            if (u < 1_000) {
                sb.append(u).append("ns");
            } else if (u < 1_000_000) {
                fraction(sb, u, 3).append("µs");
            } else {
                fraction(sb, u, 6).append("ms");
            }
            return sb.toString();
        }
        long seconds = Long.divideUnsigned(u, SECOND);
        long fraction = Long.remainderUnsigned(u, SECOND);
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (seconds >= 60) {
            sb.append(minutes).append('m');
        }
        sb.append(seconds % 60);
        appendFraction(sb, fraction, 9);
        return sb.append('s').toString();
    }

    private static StringBuilder fraction(StringBuilder sb, long v, int digits) {
        long unit = pow10(digits);
        sb.append(v / unit);
        appendFraction(sb, v % unit, digits);
        return sb;
    }

    private static void appendFraction(StringBuilder sb, long fraction, int digits) {
        if (fraction == 0) {
            return;
        }
        String s = Long.toString(fraction);
        StringBuilder padded = new StringBuilder(digits);
        padded.append("0".repeat(digits - s.length())).append(s);
        int end = padded.length();
        while (padded.charAt(end - 1) == '0') {
            end--;
        }
        sb.append('.').append(padded, 0, end);
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}: shortest digits, exponent form below 1e-4 or from 1e6. */
    public static String formatFloat(double f) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        if (f == 0) {
            return 1 / f < 0 ? "-0" : "0";
        }
        // Double.toString gives the shortest digits that read back to the same double (JDK 19+).
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder(24);
        if (f < 0) {
            sb.append('-');
        }
        // strconv uses %e when the exponent is < -4 or >= the precision, which is 6 for the
        // shortest form: 100000 prints as is, 1e6 as "1e+06", 2^64 as "1.8446744073709552e+19".
        if (exponent < -4 || exponent >= 6) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            return sb.append(abs).toString();
        }
        int point = exponent + 1;
        if (point <= 0) {
            sb.append("0.").append("0".repeat(-point)).append(digits);
        } else if (point >= digits.length()) {
            sb.append(digits).append("0".repeat(point - digits.length()));
        } else {
            sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        return sb.toString();
    }
}
