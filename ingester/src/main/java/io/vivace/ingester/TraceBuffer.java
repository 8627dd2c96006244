package io.vivace.ingester;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.Arrays;
import java.util.List;

/**
 * The spans of one trace held in memory, as concatenated {@link TracePieces} encodings, with what
 * the flush loop and the limits need to know about them. Guarded by the owning tenant's lock; the
 * bytes below {@link #length()} are never rewritten, so a reader may decode them outside the lock
 * once it has read the array and the length under it.
 */
final class TraceBuffer {
    private byte[] data;
    private int length;
    private int spanCount;
    private long startUnixNanos = Long.MAX_VALUE;
    private long endUnixNanos;
    private long minSequence = Long.MAX_VALUE;
    private final long createdNanos;
    private long lastAppendNanos;

    /** Pushes whose WAL write is under way and whose spans will land here. */
    int pendingPushes;
    /** Bytes of those pushes, counted against {@code max_bytes_per_trace}. */
    long reservedBytes;

    TraceBuffer(long nowNanos) {
        this.createdNanos = nowNanos;
        this.lastAppendNanos = nowNanos;
    }

    /** Appends one push's encoded pieces, written at WAL {@code sequence}. */
    void append(TracePieces.Prepared p, long sequence, long nowNanos) {
        appendBytes(p.bytes(), 0, p.bytes().length);
        spanCount += p.spanCount();
        if (p.spanCount() > 0) {
            startUnixNanos = Math.min(startUnixNanos, p.startUnixNanos());
            endUnixNanos = Math.max(endUnixNanos, p.endUnixNanos());
        }
        minSequence = Math.min(minSequence, sequence);
        lastAppendNanos = nowNanos;
    }

    /** Appends everything {@code other} holds (a live trace joining its earlier part in the head block). */
    void absorb(TraceBuffer other, long nowNanos) {
        appendBytes(other.data, 0, other.length);
        spanCount += other.spanCount;
        startUnixNanos = Math.min(startUnixNanos, other.startUnixNanos);
        endUnixNanos = Math.max(endUnixNanos, other.endUnixNanos);
        minSequence = Math.min(minSequence, other.minSequence);
        lastAppendNanos = nowNanos;
    }

    private void appendBytes(byte[] src, int off, int len) {
        if (data == null) {
            // Most traces arrive in one push: size the first array exactly.
            data = Arrays.copyOfRange(src, off, off + len);
            length = len;
            return;
        }
        if (length + len > data.length) {
            int grown = Math.max(length + len, data.length + (data.length >> 1));
            data = Arrays.copyOf(data, grown);
        }
        System.arraycopy(src, off, data, length, len);
        length += len;
    }

    /** Drops spare capacity, so that a trace parked in the head block holds only its bytes. */
    void trim() {
        if (data != null && data.length - length > (length >> 3)) {
            data = Arrays.copyOf(data, length);
        }
    }

    /** The pieces held so far (decoded; call outside hot locks when possible). */
    List<ResourceSpans> decode() {
        return length == 0 ? List.of() : TracePieces.decode(data, 0, length);
    }

    /** A stable view of the bytes held now, safe to decode after the lock is released. */
    Snapshot snapshot() {
        return new Snapshot(data, length);
    }

    int length() {
        return length;
    }

    int spanCount() {
        return spanCount;
    }

    long minSequence() {
        return minSequence;
    }

    long createdNanos() {
        return createdNanos;
    }

    long lastAppendNanos() {
        return lastAppendNanos;
    }

    /** True when the trace's spans overlap the unix-nanosecond range [{@code from}, {@code to}]; 0 is unbounded. */
    boolean overlaps(long fromUnixNanos, long toUnixNanos) {
        if (spanCount == 0 || (startUnixNanos == 0 && endUnixNanos == 0)) {
            return true;
        }
        return (toUnixNanos == 0 || startUnixNanos <= toUnixNanos) && (fromUnixNanos == 0 || endUnixNanos >= fromUnixNanos);
    }

    /** Bytes of one trace captured under the lock. */
    record Snapshot(byte[] data, int length) {
        List<ResourceSpans> decode() {
            return length == 0 ? List.of() : TracePieces.decode(data, 0, length);
        }
    }
}
