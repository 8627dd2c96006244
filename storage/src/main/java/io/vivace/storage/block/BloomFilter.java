package io.vivace.storage.block;

import io.vivace.model.TraceId;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A bloom filter over trace IDs, serializable as one {@code bloom-N} object.
 *
 * <p>Each ID is hashed once to 64 bits ({@link #hash}); the {@code k} probe positions come from
 * double hashing (Kirsch and Mitzenmacher) over two 64-bit halves derived from it, mapped onto the
 * bit array with a multiply-shift instead of a modulo. The shard of an ID ({@link #shardOf}) uses
 * separately mixed bits, so that the IDs of one shard still spread evenly over its bits.
 */
public final class BloomFilter {
    private static final int MAGIC = 0x56424c4d; // "VBLM"
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 4 + 2 + 2 + 8;
    private static final double LN2 = Math.log(2);

    private final long[] words;
    private final long numBits;
    private final int numHashes;

    private BloomFilter(long[] words, long numBits, int numHashes) {
        this.words = words;
        this.numBits = numBits;
        this.numHashes = numHashes;
    }

    /**
     * A filter sized for {@code expectedItems} at false-positive rate {@code falsePositiveRate}
     * (the textbook optimum: {@code m = -n ln p / ln² 2}, {@code k = m/n ln 2}).
     */
    public static BloomFilter create(long expectedItems, double falsePositiveRate) {
        if (expectedItems < 0) {
            throw new IllegalArgumentException("expectedItems: " + expectedItems + " (expected: >= 0)");
        }
        if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
            throw new IllegalArgumentException("falsePositiveRate: " + falsePositiveRate + " (expected: > 0 and < 1)");
        }
        long bits = optimalBits(expectedItems, falsePositiveRate);
        int hashes = (int) Math.max(1, Math.min(30, Math.round((double) bits / Math.max(1, expectedItems) * LN2)));
        return new BloomFilter(new long[(int) ((bits + 63) / 64)], (bits + 63) / 64 * 64, hashes);
    }

    /** Bits needed for {@code n} items at rate {@code p}; at least 64. */
    public static long optimalBits(long n, double p) {
        return Math.max(64, (long) Math.ceil(-Math.max(1, n) * Math.log(p) / (LN2 * LN2)));
    }

    /** The 64-bit hash of a trace ID (well mixed even when the high half is zero). */
    public static long hash(TraceId id) {
        return mix(id.high() * 0x9E3779B97F4A7C15L + mix(id.low()));
    }

    /** The shard, in {@code [0, shardCount)}, that holds {@code id}. */
    public static int shardOf(TraceId id, int shardCount) {
        return shardOfHash(hash(id), shardCount);
    }

    /** {@link #shardOf} by {@link #hash}. */
    public static int shardOfHash(long hash, int shardCount) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount: " + shardCount + " (expected: >= 1)");
        }
        return (int) Math.unsignedMultiplyHigh(mix(hash + 0x632BE59BD9B4E019L), shardCount);
    }

    /** Adds {@code id}. */
    public void add(TraceId id) {
        addHash(hash(id));
    }

    /** True when {@code id} may have been added; false means it certainly was not. */
    public boolean mightContain(TraceId id) {
        return mightContainHash(hash(id));
    }

    /** Adds an item by its {@link #hash}. */
    public void addHash(long hash) {
        long h1 = hash;
        long h2 = mix(hash ^ 0xC2B2AE3D27D4EB4FL) | 1;
        for (int i = 0; i < numHashes; i++) {
            long bit = Math.unsignedMultiplyHigh(h1, numBits);
            words[(int) (bit >>> 6)] |= 1L << bit;
            h1 += h2;
        }
    }

    /** {@link #mightContain} by {@link #hash}. */
    public boolean mightContainHash(long hash) {
        long h1 = hash;
        long h2 = mix(hash ^ 0xC2B2AE3D27D4EB4FL) | 1;
        for (int i = 0; i < numHashes; i++) {
            long bit = Math.unsignedMultiplyHigh(h1, numBits);
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
            h1 += h2;
        }
        return true;
    }

    /** Number of bits. */
    public long numBits() {
        return numBits;
    }

    /** Number of probes per item. */
    public int numHashes() {
        return numHashes;
    }

    /** Size of {@link #toBytes()}. */
    public int sizeBytes() {
        return HEADER_BYTES + words.length * 8;
    }

    /** Serializes: magic, version, probe count, bit count, then the bit words, big-endian. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(sizeBytes());
        b.putInt(MAGIC).putShort((short) VERSION).putShort((short) numHashes).putLong(numBits);
        b.asLongBuffer().put(words);
        return b.array();
    }

    /**
     * Reads a filter written by {@link #toBytes()}.
     *
     * @throws IOException when the bytes are not a bloom filter of a known version
     */
    public static BloomFilter fromBytes(byte[] bytes) throws IOException {
        if (bytes.length < HEADER_BYTES) {
            throw new IOException("bloom filter: " + bytes.length + " bytes (expected: >= " + HEADER_BYTES + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        int version = b.getShort();
        int hashes = b.getShort();
        long bits = b.getLong();
        if (magic != MAGIC || version != VERSION) {
            throw new IOException("bloom filter: magic 0x" + Integer.toHexString(magic) + " version " + version
                    + " (expected: 0x" + Integer.toHexString(MAGIC) + " version " + VERSION + ")");
        }
        if (bits <= 0 || bits % 64 != 0 || bytes.length != HEADER_BYTES + bits / 8 || hashes < 1) {
            throw new IOException("bloom filter: " + bits + " bits, " + hashes + " hashes in " + bytes.length
                    + " bytes; the object is corrupt");
        }
        long[] words = new long[(int) (bits / 64)];
        b.asLongBuffer().get(words);
        return new BloomFilter(words, bits, hashes);
    }

    /** MurmurHash3's 64-bit finalizer. */
    private static long mix(long z) {
        z ^= z >>> 33;
        z *= 0xff51afd7ed558ccdL;
        z ^= z >>> 33;
        z *= 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return z;
    }
}
