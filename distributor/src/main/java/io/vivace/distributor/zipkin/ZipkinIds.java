package io.vivace.distributor.zipkin;

/** Zipkin IDs in hex (JSON) and bytes (proto3), turned into numbers with actionable errors. */
final class ZipkinIds {
    private ZipkinIds() {}

    /**
     * Parses a hex trace ID of 1 to 32 digits (Zipkin writes 16 or 32), left-padded to 128 bits.
     *
     * @return {high, low}
     */
    static long[] traceId(String hex, String where) {
        if (hex.length() > 32) {
            throw new IllegalArgumentException(where + ": \"" + abbreviate(hex) + "\" is longer than 32 hex characters"
                    + " (expected: 16 or 32 hex characters)");
        }
        checkHex(hex, where, "16 or 32 hex characters");
        int split = Math.max(0, hex.length() - 16);
        long high = split == 0 ? 0 : Long.parseUnsignedLong(hex.substring(0, split), 16);
        long low = Long.parseUnsignedLong(hex.substring(split), 16);
        return new long[] {high, low};
    }

    /** Parses a hex span ID of 1 to 16 digits (Zipkin writes 16). */
    static long spanId(String hex, String where) {
        if (hex.length() > 16) {
            throw new IllegalArgumentException(where + ": \"" + abbreviate(hex) + "\" is longer than 16 hex characters"
                    + " (expected: 16 hex characters)");
        }
        checkHex(hex, where, "16 hex characters");
        return Long.parseUnsignedLong(hex, 16);
    }

    /** Reads an 8- or 16-byte proto3 trace ID. */
    static long[] traceId(byte[] bytes, String where) {
        if (bytes.length != 8 && bytes.length != 16) {
            throw new IllegalArgumentException(where + ": " + bytes.length + " bytes (expected: 8 or 16)");
        }
        if (bytes.length == 8) {
            return new long[] {0, readLong(bytes, 0)};
        }
        return new long[] {readLong(bytes, 0), readLong(bytes, 8)};
    }

    /** Reads an 8-byte proto3 span ID. */
    static long spanId(byte[] bytes, String where) {
        if (bytes.length != 8) {
            throw new IllegalArgumentException(where + ": " + bytes.length + " bytes (expected: 8)");
        }
        return readLong(bytes, 0);
    }

    private static void checkHex(String hex, String where, String expected) {
        if (hex.isEmpty()) {
            throw new IllegalArgumentException(where + ": empty (expected: " + expected + ")");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (!java.util.HexFormat.isHexDigit(hex.charAt(i))) {
                throw new IllegalArgumentException(where + ": \"" + abbreviate(hex) + "\" has a non-hex character '"
                        + hex.charAt(i) + "' at position " + (i + 1) + " (expected: " + expected + ")");
            }
        }
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
