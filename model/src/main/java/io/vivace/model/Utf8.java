package io.vivace.model;

/** String helpers that follow UTF-8 byte semantics, as Go (Tempo) and S3 do. */
public final class Utf8 {
    private Utf8() {}

    /**
     * Compares {@code a} and {@code b} in the order of their UTF-8 bytes, which is code point order.
     * Java's {@link String#compareTo} compares UTF-16 units and disagrees for supplementary characters.
     */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
