package io.vivace.model;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/**
 * A 128-bit trace ID. Shorter IDs (64-bit Zipkin/Jaeger IDs, short hex lookups) are left-padded
 * with zero bytes, as Tempo does, so that a 16-hex-digit lookup finds a trace stored with zero high
 * bytes. Ordering is unsigned, byte by byte, which is the order of rows in a block.
 */
public record TraceId(long high, long low) implements Comparable<TraceId> {

    /** Number of bytes in a trace ID. */
    public static final int BYTES = 16;

    /** Returns the trace ID held in {@code bytes}, left-padded when shorter than 16 bytes. */
    public static TraceId fromBytes(byte[] bytes) {
        if (bytes.length > BYTES) {
            throw new IllegalArgumentException("trace IDs can't be larger than 128 bits, received " + bytes.length * 8 + " bits");
        }
        long hi = 0;
        long lo = 0;
        int pad = BYTES - bytes.length;
        for (int i = 0; i < BYTES; i++) {
            long b = i < pad ? 0 : bytes[i - pad] & 0xFF;
            if (i < 8) {
                hi = (hi << 8) | b;
            } else {
                lo = (lo << 8) | b;
            }
        }
        return new TraceId(hi, lo);
    }

    /** Returns the trace ID held in the protobuf {@code bytes}, left-padded when shorter. */
    public static TraceId fromByteString(ByteString bytes) {
        if (bytes.size() == BYTES) {
            return new TraceId(readLong(bytes, 0), readLong(bytes, 8));
        }
        return fromBytes(bytes.toByteArray());
    }

    /** Reads 16 bytes at {@code offset} of {@code bytes}. */
    public static TraceId fromBytes(byte[] bytes, int offset) {
        return new TraceId(readLong(bytes, offset), readLong(bytes, offset + 8));
    }

    /**
     * Parses a trace ID the way Tempo's lookup endpoints do: 1 to 32 hex digits, any case, odd
     * length tolerated, left-padded to 128 bits.
     *
     * @throws IllegalArgumentException with a message fit for an HTTP 400 body
     */
    public static TraceId parseHex(String hex) {
        if (hex == null || hex.isEmpty()) {
            throw new IllegalArgumentException("trace ID is empty");
        }
        // Only ASCII hex digits: Character.digit would also accept other scripts' digits and
        // fullwidth letters. Positions count characters (Go runes), from 1, as in Tempo's message.
        int position = 0;
        for (int i = 0; i < hex.length(); ) {
            int c = hex.codePointAt(i);
            position++;
            if (hexDigit(c) < 0) {
                throw new IllegalArgumentException("trace IDs can only contain hex characters: invalid character '"
                        + Character.toString(c) + "' at position " + position);
            }
            i += Character.charCount(c);
        }
        if (hex.length() > 32) {
            throw new IllegalArgumentException("trace IDs can't be larger than 128 bits");
        }
        long hi = 0;
        long lo = 0;
        int start = 32 - hex.length();
        for (int i = start; i < 32; i++) {
            long d = hexDigit(hex.charAt(i - start));
            if (i < 16) {
                hi = (hi << 4) | d;
            } else {
                lo = (lo << 4) | d;
            }
        }
        return new TraceId(hi, lo);
    }

    /** True when every bit is zero; such IDs are invalid on ingest. */
    public boolean isZero() {
        return high == 0 && low == 0;
    }

    /** The 16 bytes, big-endian. */
    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        writeTo(out, 0);
        return out;
    }

    /** Writes the 16 bytes big-endian at {@code offset}. */
    public void writeTo(byte[] out, int offset) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (high >>> (56 - 8 * i));
            out[offset + 8 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }

    /** The 16 bytes as a protobuf {@link ByteString}. */
    public ByteString toByteString() {
        return ByteString.copyFrom(toBytes());
    }

    /** 32 lowercase hex digits. */
    public String toHex() {
        HexFormat f = HexFormat.of();
        return f.toHexDigits(high) + f.toHexDigits(low);
    }

    /** Lowercase hex with leading zeros trimmed, as in Tempo's search results ({@code "0"} for zero). */
    public String toTrimmedHex() {
        String h = toHex();
        int i = 0;
        while (i < h.length() - 1 && h.charAt(i) == '0') {
            i++;
        }
        return h.substring(i);
    }

    @Override
    public int compareTo(TraceId o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    @Override
    public String toString() {
        return toHex();
    }

    private static int hexDigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static long readLong(ByteString b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b.byteAt(off + i) & 0xFF);
        }
        return v;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
