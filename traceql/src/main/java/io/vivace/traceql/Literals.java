package io.vivace.traceql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes literal token text exactly as Tempo does: Go string escapes, Go and Prometheus
 * durations, 64-bit integers. Each method throws {@link IllegalArgumentException} with the
 * user-facing reason; the caller adds the position.
 */
final class Literals {
    private Literals() {
    }

    /** Decodes a double-quoted string token with Go's escape rules ({@code strconv.Unquote}). */
    static String doubleQuoted(String token) {
        String body = token.substring(1, token.length() - 1);
        if (body.indexOf('\\') < 0) {
            return body;
        }
        // Go's \x and octal escapes produce bytes, not characters: collect UTF-8 and decode at the end.
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
        int i = 0;
        while (i < body.length()) {
            int cp = body.codePointAt(i);
            if (cp != '\\') {
                appendUtf8(out, cp);
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= body.length()) {
                throw new IllegalArgumentException("invalid char escape");
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case 'x' -> {
                    out.write(hex(body, i, 2));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    int rune = hex(body, i, n);
                    if (rune < 0 || rune > Character.MAX_CODE_POINT
                            || (rune >= Character.MIN_SURROGATE && rune <= Character.MAX_SURROGATE)) {
                        throw new IllegalArgumentException("invalid char escape");
                    }
                    appendUtf8(out, rune);
                    i += n;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > body.length()) {
                        throw new IllegalArgumentException("invalid char escape");
                    }
                    int v = e - '0';
                    for (int k = 0; k < 2; k++) {
                        char d = body.charAt(i + k);
                        if (d < '0' || d > '7') {
                            throw new IllegalArgumentException("invalid char escape");
                        }
                        v = v * 8 + (d - '0');
                    }
                    if (v > 255) {
                        throw new IllegalArgumentException("invalid char escape");
                    }
                    out.write(v);
                    i += 2;
                }
                default -> throw new IllegalArgumentException("invalid char escape");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(String s, int from, int n) {
        if (from + n > s.length()) {
            throw new IllegalArgumentException("invalid char escape");
        }
        long v = 0;
        for (int k = 0; k < n; k++) {
            int d = Character.digit(s.charAt(from + k), 16);
            if (d < 0) {
                throw new IllegalArgumentException("invalid char escape");
            }
            v = v * 16 + d;
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static void appendUtf8(ByteArrayOutputStream out, int cp) {
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a back-quoted raw string: no escapes; carriage returns are dropped, as in Go. */
    static String rawString(String token) {
        return token.substring(1, token.length() - 1).replace("\r", "");
    }

    /**
     * Decodes an attribute name: unquoted text is literal, double-quoted segments may contain
     * anything and only {@code \"} and {@code \\} escapes; segments concatenate.
     */
    static String attributeName(String text) {
        if (text.indexOf('"') < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted && c == '\\') {
                char next = text.charAt(++i); // the lexer guarantees a character follows
                if (next != '"' && next != '\\') {
                    throw new IllegalArgumentException("invalid escape sequence in attribute name: \\" + next);
                }
                sb.append(next);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Parses a decimal integer token (leading zeros allowed) as a signed 64-bit value. */
    static long integer(String token) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("integer out of range: " + token);
        }
    }

    /** Parses a float token; overflow to infinity is an error. */
    static double floating(String token) {
        double v = Double.parseDouble(token);
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException("float out of range: " + token);
        }
        return v;
    }

    private static final Pattern PROMETHEUS = Pattern.compile(
            "(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?");
    private static final long[] PROMETHEUS_UNITS = {
        365L * 24 * 3_600_000_000_000L, 7L * 24 * 3_600_000_000_000L, 24 * 3_600_000_000_000L,
        3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L};

    /**
     * Converts a duration token to nanoseconds: first as a Prometheus duration (integer amounts,
     * units y w d h m s ms once each in that order), then as a Go duration (fractions, units
     * ns us µs ms s m h in any order), as Tempo's lexer does.
     */
    static long duration(String token) {
        Long prometheus = prometheusDuration(token);
        if (prometheus != null) {
            return prometheus;
        }
        return goDuration(token);
    }

    private static Long prometheusDuration(String s) {
        Matcher m = PROMETHEUS.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            return null;
        }
        long total = 0;
        try {
            for (int g = 1; g <= PROMETHEUS_UNITS.length; g++) {
                if (m.group(g) != null) {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(g)), PROMETHEUS_UNITS[g - 1]));
                }
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration out of range: " + s);
        }
        return total;
    }

    /** Go's {@code time.ParseDuration}, restricted to the unsigned forms the lexer produces. */
    private static long goDuration(String orig) {
        String s = orig;
        // Unsigned arithmetic up to 1<<63, as Go does, so overflow is detected the same way.
        final long limit = Long.MIN_VALUE; // 1 << 63 as unsigned
        long d = 0;
        while (!s.isEmpty()) {
            int i = 0;
            long v = 0;
            boolean overflow = false;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                if (Long.compareUnsigned(v, Long.divideUnsigned(limit, 10)) > 0) {
                    overflow = true;
                }
                v = v * 10 + (s.charAt(i) - '0');
                if (Long.compareUnsigned(v, limit) > 0) {
                    overflow = true;
                }
                i++;
            }
            if (overflow) {
                throw new IllegalArgumentException("invalid duration: " + orig);
            }
            boolean pre = i > 0;
            long f = 0;
            double scale = 1;
            boolean post = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int start = i;
                boolean fractionOverflow = false;
                while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                    if (!fractionOverflow) {
                        if (Long.compareUnsigned(f, Long.divideUnsigned(-1L, 10)) > 0) {
                            fractionOverflow = true;
                        } else {
                            long y = f * 10 + (s.charAt(i) - '0');
                            if (Long.compareUnsigned(y, limit) > 0) {
                                fractionOverflow = true;
                            } else {
                                f = y;
                                scale *= 10;
                            }
                        }
                    }
                    i++;
                }
                post = i > start;
            }
            if (!pre && !post) {
                throw new IllegalArgumentException("invalid duration: " + orig);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !(Character.isDigit(s.charAt(i)) && s.charAt(i) < 128)) {
                i++;
            }
            long unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "\u00B5s", "\u03BCs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException("invalid duration: " + orig);
            };
            if (Long.compareUnsigned(v, Long.divideUnsigned(limit, unit)) > 0) {
                throw new IllegalArgumentException("duration out of range: " + orig);
            }
            v *= unit;
            if (f > 0) {
                v += (long) ((double) f * ((double) unit / scale));
                if (Long.compareUnsigned(v, limit) > 0) {
                    throw new IllegalArgumentException("duration out of range: " + orig);
                }
            }
            d += v;
            if (Long.compareUnsigned(d, limit) > 0) {
                throw new IllegalArgumentException("duration out of range: " + orig);
            }
            s = s.substring(i);
        }
        if (d < 0) { // exactly 1<<63: representable only as a negative duration
            throw new IllegalArgumentException("duration out of range: " + orig);
        }
        return d;
    }
}
