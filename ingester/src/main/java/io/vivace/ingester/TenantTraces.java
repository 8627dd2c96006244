package io.vivace.ingester;

import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.model.TraceId;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One tenant's data in the ingester: live traces (still receiving spans), the head block (idle
 * traces waiting to be cut) and cut blocks (being written, waiting for a retry, or written and still
 * served until the queriers see them). Every field is guarded by {@code synchronized (this)}; the
 * ingester takes that lock for short, allocation-light steps only.
 */
final class TenantTraces {
    final String tenant;
    final Map<TraceId, TraceBuffer> live = new HashMap<>();
    HeadBlock head = new HeadBlock();
    final List<CutBlock> blocks = new ArrayList<>();

    TenantTraces(String tenant) {
        this.tenant = tenant;
    }

    /**
     * Checks the limits for one push and, when it fits, reserves room for it in the live traces so
     * that concurrent pushes cannot overshoot while its WAL write is under way.
     *
     * @return the refusal, or {@code null} when the push was reserved
     */
    synchronized VivaceException reserve(List<TracePieces.Prepared> traces, int maxTraces, long maxBytesPerTrace,
            Duration retryAfter, long nowNanos) {
        int newTraces = 0;
        for (TracePieces.Prepared p : traces) {
            TraceBuffer b = live.get(p.id());
            long held = b == null ? 0 : b.length() + b.reservedBytes;
            if (b == null) {
                newTraces++;
            }
            if (maxBytesPerTrace > 0 && held + p.bytes().length > maxBytesPerTrace) {
                return new VivaceException(ErrorCategory.RESOURCE_EXHAUSTED, Ingester.REASON_TRACE_TOO_LARGE,
                        "TRACE_TOO_LARGE: trace " + p.id() + " of tenant \"" + tenant + "\" would hold " + (held + p.bytes().length)
                                + " bytes (expected: <= max_bytes_per_trace " + maxBytesPerTrace
                                + "); the whole batch was refused and nothing of it was stored");
            }
        }
        if (maxTraces > 0 && live.size() + newTraces > maxTraces) {
            return new VivaceException(ErrorCategory.RESOURCE_EXHAUSTED, Ingester.REASON_LIVE_TRACES_EXCEEDED,
                    "LIVE_TRACES_EXCEEDED: tenant \"" + tenant + "\" has " + live.size() + " live traces and the batch adds "
                            + newTraces + " (expected: <= max_traces_per_user " + maxTraces
                            + "); the whole batch was refused and nothing of it was stored; retry once idle traces are flushed",
                    retryAfter);
        }
        for (TracePieces.Prepared p : traces) {
            TraceBuffer b = live.computeIfAbsent(p.id(), k -> new TraceBuffer(nowNanos));
            b.pendingPushes++;
            b.reservedBytes += p.bytes().length;
        }
        return null;
    }

    /**
     * Adds a push whose WAL entry {@code sequence} is durable; its room was reserved before (except
     * on replay).
     *
     * @return number of traces that became live with this push
     */
    synchronized int apply(List<TracePieces.Prepared> traces, long sequence, long nowNanos) {
        int created = 0;
        for (TracePieces.Prepared p : traces) {
            TraceBuffer b = live.get(p.id());
            if (b == null) {
                b = new TraceBuffer(nowNanos);
                live.put(p.id(), b);
            }
            if (b.length() == 0) {
                created++;
            }
            b.append(p, sequence, nowNanos);
            if (b.pendingPushes > 0) {
                b.pendingPushes--;
                b.reservedBytes -= p.bytes().length;
            }
        }
        return created;
    }

    /** Gives back the room of a push whose WAL write failed. */
    synchronized void unreserve(List<TracePieces.Prepared> traces) {
        for (TracePieces.Prepared p : traces) {
            TraceBuffer b = live.get(p.id());
            if (b == null) {
                continue;
            }
            b.pendingPushes--;
            b.reservedBytes -= p.bytes().length;
            if (b.pendingPushes == 0 && b.length() == 0) {
                live.remove(p.id());
            }
        }
    }

    /**
     * Moves live traces that are idle (or older than {@code maxLiveNanos}, or all when
     * {@code force}) into the head block. Traces with a push under way stay.
     *
     * @return number of traces moved
     */
    synchronized int cutIdleTraces(long nowNanos, long idleNanos, long maxLiveNanos, boolean force) {
        int moved = 0;
        Iterator<Map.Entry<TraceId, TraceBuffer>> it = live.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<TraceId, TraceBuffer> e = it.next();
            TraceBuffer b = e.getValue();
            if (b.pendingPushes > 0) {
                continue;
            }
            if (b.length() == 0) {
                it.remove();
                continue;
            }
            if (force || nowNanos - b.lastAppendNanos() >= idleNanos || nowNanos - b.createdNanos() >= maxLiveNanos) {
                it.remove();
                head.add(e.getKey(), b, nowNanos);
                moved++;
            }
        }
        return moved;
    }

    /**
     * Cuts the head block when it is old, big or quiet enough (or when {@code force}), and queues it
     * as a block to write.
     *
     * @return the cut block, or {@code null}
     */
    synchronized CutBlock maybeCutHead(long nowNanos, long maxAgeNanos, long maxBytes, long quietNanos, boolean force) {
        if (head.traces.isEmpty()) {
            return null;
        }
        if (!(force || nowNanos - head.createdNanos >= maxAgeNanos || head.bytes >= maxBytes
                || nowNanos - head.lastAddNanos >= quietNanos)) {
            return null;
        }
        CutBlock cut = new CutBlock(UUID.randomUUID(), head.traces, head.bytes, head.spans, head.minSequence, nowNanos);
        blocks.add(cut);
        head = new HeadBlock();
        return cut;
    }

    /** Cut blocks to (re)submit now: waiting ones whose backoff passed, or all waiting ones when {@code force}. */
    synchronized List<CutBlock> takeDueBlocks(long nowNanos, boolean force) {
        List<CutBlock> due = new ArrayList<>();
        for (CutBlock b : blocks) {
            if (b.state == CutBlock.State.WAITING && (force || nowNanos >= b.nextAttemptNanos)) {
                b.state = CutBlock.State.FLUSHING;
                b.attempt = new CompletableFuture<>();
                due.add(b);
            }
        }
        return due;
    }

    /** Attempts under way of blocks not yet written. */
    synchronized List<CompletableFuture<Void>> unfinishedAttempts() {
        List<CompletableFuture<Void>> out = new ArrayList<>();
        for (CutBlock b : blocks) {
            if (b.state == CutBlock.State.FLUSHING) {
                out.add(b.attempt);
            }
        }
        return out;
    }

    /**
     * Forgets written blocks older than {@code keepNanos}; returns the readers that no lookup uses
     * any more, to close (a reader still in use is closed by the last lookup releasing it).
     */
    synchronized List<BlockReader> expireFlushed(long nowNanos, long keepNanos) {
        List<BlockReader> toClose = new ArrayList<>();
        Iterator<CutBlock> it = blocks.iterator();
        while (it.hasNext()) {
            CutBlock b = it.next();
            if (b.state == CutBlock.State.FLUSHED && nowNanos - b.flushedNanos >= keepNanos) {
                it.remove();
                b.expired = true;
                if (b.reader != null && b.lookups == 0) {
                    toClose.add(b.reader);
                }
            }
        }
        return toClose;
    }

    /** Ends a lookup's use of {@code b}'s reader; returns the reader when it is now to be closed. */
    synchronized BlockReader releaseReader(CutBlock b) {
        b.lookups--;
        return b.expired && b.lookups == 0 ? b.reader : null;
    }

    /** Smallest WAL sequence whose spans are only in memory here, {@link Long#MAX_VALUE} when none. */
    synchronized long minReferencedSequence() {
        long min = head.minSequence;
        for (TraceBuffer b : live.values()) {
            if (b.length() > 0) {
                min = Math.min(min, b.minSequence());
            }
        }
        for (CutBlock b : blocks) {
            if (b.state != CutBlock.State.FLUSHED) {
                min = Math.min(min, b.minSequence);
            }
        }
        return min;
    }

    /** Live traces, reserved ones included. */
    synchronized int liveTraceCount() {
        return live.size();
    }

    /** Idle traces collected until the head block is cut. */
    static final class HeadBlock {
        final Map<TraceId, TraceBuffer> traces = new HashMap<>();
        long createdNanos;
        long lastAddNanos;
        long bytes;
        long spans;
        long minSequence = Long.MAX_VALUE;

        void add(TraceId id, TraceBuffer b, long nowNanos) {
            if (traces.isEmpty()) {
                createdNanos = nowNanos;
            }
            b.trim();
            TraceBuffer existing = traces.putIfAbsent(id, b);
            if (existing != null) {
                existing.absorb(b, nowNanos);
            }
            bytes += b.length();
            spans += b.spanCount();
            minSequence = Math.min(minSequence, b.minSequence());
            lastAddNanos = nowNanos;
        }
    }

    /** A head block that was cut: in memory until written, then served through a reader for a while. */
    static final class CutBlock {
        enum State { WAITING, FLUSHING, FLUSHED }

        final UUID id;
        /** The traces, immutable once cut; dropped once the block is written. */
        Map<TraceId, TraceBuffer> traces;
        final long bytes;
        final long spans;
        final long minSequence;
        final long cutNanos;
        State state = State.WAITING;
        int attempts;
        long nextAttemptNanos;
        CompletableFuture<Void> attempt;
        BlockMeta meta;
        BlockReader reader;
        long flushedNanos;
        /** Lookups using {@link #reader} right now; the reader is closed only when none is. */
        int lookups;
        /** No longer listed: the queriers serve it. */
        boolean expired;

        CutBlock(UUID id, Map<TraceId, TraceBuffer> traces, long bytes, long spans, long minSequence, long cutNanos) {
            this.id = id;
            this.traces = traces;
            this.bytes = bytes;
            this.spans = spans;
            this.minSequence = minSequence;
            this.cutNanos = cutNanos;
        }
    }
}
