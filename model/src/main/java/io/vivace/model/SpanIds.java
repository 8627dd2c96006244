package io.vivace.model;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Span IDs are 64 bits; on the wire they are 8 bytes, in search results 16 lowercase hex digits. */
public final class SpanIds {
    private SpanIds() {}

    /** Reads an 8-byte span ID as a big-endian long; shorter inputs are left-padded, empty gives 0. */
    public static long toLong(ByteString bytes) {
        long v = 0;
        int n = Math.min(bytes.size(), 8);
        for (int i = bytes.size() - n; i < bytes.size(); i++) {
            v = (v << 8) | (bytes.byteAt(i) & 0xFF);
        }
        return v;
    }

    /** The 8 big-endian bytes of {@code id}. */
    public static ByteString toByteString(long id) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (id >>> (56 - 8 * i));
        }
        return ByteString.copyFrom(out);
    }

    /** 16 lowercase hex digits, zero-padded. */
    public static String toHex(long id) {
        return HexFormat.of().toHexDigits(id);
    }
}
