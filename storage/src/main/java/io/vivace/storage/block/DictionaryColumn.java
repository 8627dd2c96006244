package io.vivace.storage.block;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * The per-batch string dictionary of one dictionary-encoded column: a {@code List<Utf8>} column
 * whose row 0 holds the batch's distinct strings sorted by unsigned bytes, so code {@code i} is
 * element {@code i} and codes order as their strings do. Other rows are null. Writers assign
 * provisional codes while the batch fills and renumber them when it is finished; readers resolve
 * codes lazily, each distinct value once per batch.
 */
final class DictionaryColumn {
    private final ListVector list;
    private final VarCharVector values;

    // Writer side: distinct values of the batch being built, bounded by the batch itself, in an
    // open-addressing table of provisional codes (first-use order). Values are hashed 8 bytes at a
    // time from a scratch copy and compared with the vectorized Arrays.equals: protobuf's own
    // ByteString hash and equality walk byte by byte, which made dictionary lookups the writer's
    // hottest code.
    private final List<byte[]> pending = new ArrayList<>();
    private int[] slots = EMPTY; // provisional code + 1; 0 = empty; allocated on first use (readers never do)
    private int[] slotHashes = EMPTY;
    private byte[] scratch = new byte[0];
    private static final int[] EMPTY = new int[0];
    private final List<IntVector> codeVectors = new ArrayList<>();
    private final List<IntSupplier> codeCounts = new ArrayList<>();

    // Reader side: values resolved so far.
    private ByteString[] cache;
    private int first;
    private int size = -1;

    DictionaryColumn(ListVector list) {
        this.list = list;
        this.values = (VarCharVector) list.getDataVector();
    }

    /** The code of {@code value} in this batch, assigning the next one on first use. */
    int code(ByteString value) {
        int n = value.size();
        if (n > scratch.length) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        value.copyTo(scratch, 0);
        int h = hash(scratch, n);
        if (slots.length == 0) {
            slots = new int[64];
            slotHashes = new int[64];
        }
        int mask = slots.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            int c = slots[i];
            if (c == 0) {
                int code = pending.size();
                pending.add(Arrays.copyOf(scratch, n));
                slots[i] = code + 1;
                slotHashes[i] = h;
                if (pending.size() * 2 > slots.length) {
                    grow();
                }
                return code;
            }
            if (slotHashes[i] == h) {
                byte[] v = pending.get(c - 1);
                if (v.length == n && Arrays.equals(v, 0, n, scratch, 0, n)) {
                    return c - 1;
                }
            }
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static int hash(byte[] b, int n) {
        long h = n * 0x9E3779B97F4A7C15L;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        for (; i < n; i++) {
            h = (h ^ b[i]) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 32;
        return (int) h;
    }

    private static int mix(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B1;
    }

    private void grow() {
        int[] oldSlots = slots;
        int[] oldHashes = slotHashes;
        slots = new int[oldSlots.length * 2];
        slotHashes = new int[slots.length];
        int mask = slots.length - 1;
        for (int j = 0; j < oldSlots.length; j++) {
            if (oldSlots[j] != 0) {
                int i = mix(oldHashes[j]) & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = oldSlots[j];
                slotHashes[i] = oldHashes[j];
            }
        }
    }

    /** Registers a vector holding codes of this dictionary; {@code count} gives how many entries it has now. */
    void addCodes(IntVector codes, IntSupplier count) {
        codeVectors.add(codes);
        codeCounts.add(count);
    }

    /**
     * Sorts the collected values (unsigned byte order, so codes compare as the strings do), rewrites
     * the registered code vectors to the sorted codes, and writes the values as row 0 of the
     * dictionary column. Call before the row count is set.
     */
    void finish() {
        int n = pending.size();
        Entry[] sorted = new Entry[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = new Entry(pending.get(i), i);
        }
        if (n > 1) {
            Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.bytes, b.bytes));
            int[] remap = new int[n];
            boolean identity = true;
            for (int i = 0; i < n; i++) {
                remap[sorted[i].code] = i;
                identity &= sorted[i].code == i;
            }
            if (!identity) {
                for (int v = 0; v < codeVectors.size(); v++) {
                    IntVector codes = codeVectors.get(v);
                    ArrowBuf buf = codes.getDataBuffer();
                    // Entries past the capacity were never set, so they are null: nothing to renumber.
                    for (int i = 0, m = Math.min(codeCounts.get(v).getAsInt(), codes.getValueCapacity()); i < m; i++) {
                        if (!codes.isNull(i)) {
                            buf.setInt((long) i * 4, remap[buf.getInt((long) i * 4)]);
                        }
                    }
                }
            }
        }
        list.startNewValue(0);
        for (int i = 0; i < n; i++) {
            values.setSafe(i, sorted[i].bytes);
        }
        list.endValue(0, n);
    }

    private record Entry(byte[] bytes, int code) {}

    /** Forgets the batch's values (the vector itself is reset by the caller). */
    void reset() {
        pending.clear();
        if (slots.length > 1024) {
            slots = EMPTY; // don't keep a large batch's table around
            slotHashes = EMPTY;
        } else {
            Arrays.fill(slots, 0);
        }
    }

    /** Number of strings in a loaded batch's dictionary (codes are {@code 0 … size−1}). */
    int size() {
        if (size < 0) {
            if (list.getValueCount() == 0 || list.isNull(0)) {
                size = 0;
            } else {
                first = list.getElementStartIndex(0);
                size = list.getElementEndIndex(0) - first;
            }
            cache = new ByteString[size];
        }
        return size;
    }

    /** The UTF-8 bytes of {@code code} in a loaded batch (a fresh array). */
    byte[] bytes(int code) throws IOException {
        if (code < 0 || code >= size()) {
            throw new IOException("dictionary code " + code + " of column " + list.getName() + " (expected: 0.." + (size - 1)
                    + "); the block is corrupt");
        }
        return values.get(first + code);
    }

    /** The code of {@code utf8} in a loaded batch, or -1 when the batch does not hold it. */
    int find(byte[] utf8) throws IOException {
        int c = lowerBound(utf8);
        return c < size() && Arrays.equals(bytes(c), utf8) ? c : -1;
    }

    /** The first code whose string is {@code >= utf8} (unsigned bytes), or {@code size()}. */
    int lowerBound(byte[] utf8) throws IOException {
        return bound(utf8, false);
    }

    /** The first code whose string is {@code > utf8} (unsigned bytes), or {@code size()}. */
    int upperBound(byte[] utf8) throws IOException {
        return bound(utf8, true);
    }

    private int bound(byte[] utf8, boolean strict) throws IOException {
        int lo = 0;
        int hi = size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(bytes(mid), utf8);
            if (c < 0 || (strict && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The string of {@code code} in a loaded batch. */
    ByteString value(int code) throws IOException {
        size();
        if (code < 0 || code >= size) {
            throw new IOException("dictionary code " + code + " of column " + list.getName() + " (expected: 0.." + (size - 1)
                    + "); the block is corrupt");
        }
        ByteString v = cache[code];
        if (v == null) {
            v = AttributeColumns.wrap(values.get(first + code));
            cache[code] = v;
        }
        return v;
    }
}
