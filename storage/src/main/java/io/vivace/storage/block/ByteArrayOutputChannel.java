package io.vivace.storage.block;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * A growable in-memory channel for the Arrow IPC writer. {@link io.vivace.storage.object.ObjectStore}
 * takes whole objects as byte arrays, so {@code data} is assembled here; the writer also reads back
 * each batch's metadata from it to record column byte ranges.
 */
final class ByteArrayOutputChannel implements WritableByteChannel {
    private byte[] buf = new byte[1 << 20];
    private int size;
    private boolean open = true;

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        if (size + n > buf.length) {
            long want = Math.max((long) size + n, (long) buf.length * 2);
            if (want > Integer.MAX_VALUE - 16) {
                want = Integer.MAX_VALUE - 16;
                if (size + (long) n > want) {
                    throw new IllegalStateException("data object: over 2 GiB (expected: smaller blocks; lower the block size)");
                }
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
        src.get(buf, size, n);
        size += n;
        return n;
    }

    /** Bytes written so far. */
    int size() {
        return size;
    }

    /** The backing array; valid up to {@link #size()}. */
    byte[] array() {
        return buf;
    }

    /** A copy of the bytes written. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
