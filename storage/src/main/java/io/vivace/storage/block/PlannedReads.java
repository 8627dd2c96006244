package io.vivace.storage.block;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The first-round reads of a search (message metadata and dictionary columns of every batch the
 * index lets through), planned before any is made, so that ranges close to each other are fetched
 * in one request even across batches: a batch's dictionaries lie at the end of its body, right
 * before the next batch's metadata. Two planned ranges share a request when the gap between them is
 * at most {@link #gapLimit} of the later batch and the request stays within {@link #MAX_REQUEST};
 * the gap bytes are really transferred, so they are counted. A request is made when one of its
 * ranges is first needed; each batch then receives the whole part of it inside the batch (gap bytes
 * included, so it never reads them again), and the request's bytes are dropped once the search moves
 * on to a later request. Not thread-safe: one search.
 */
final class PlannedReads {
    /** Upper bound of one merged request. */
    static final long MAX_REQUEST = 4L << 20;
    /** Upper bound of a gap merged into a request. */
    static final long MAX_GAP = 64L << 10;

    private final BlockReader reader;
    private final LongConsumer onFetch;
    private final List<Request> requests = new ArrayList<>(); // sorted, disjoint

    private static final class Request {
        final long start;
        long end;
        byte[] bytes;
        boolean dropped;

        Request(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    /** Bytes of {@code data} from position {@code start}. */
    record Piece(long start, byte[] bytes) {}

    /** Plans nothing yet; add each batch's ranges, in file order, with {@link #plan}. */
    PlannedReads(BlockReader reader, LongConsumer onFetch) {
        this.reader = reader;
        this.onFetch = onFetch;
    }

    /** Largest gap merged before a range of {@code batch}: 1/32 of the batch, at most {@link #MAX_GAP}. */
    static long gapLimit(BlockIndex.Batch batch) {
        return Math.max(BatchBytes.MERGE_GAP, Math.min(MAX_GAP, batch.length() / 32));
    }

    /**
     * Adds the reads {@code ranges} (sorted, disjoint, {from, to}) that batch {@code batch} will
     * make; batches must come in file order.
     */
    void plan(BlockIndex.Batch batch, List<long[]> ranges) {
        long gap = gapLimit(batch);
        for (long[] r : ranges) {
            Request last = requests.isEmpty() ? null : requests.get(requests.size() - 1);
            if (last != null && r[0] < last.end) {
                throw new IllegalArgumentException("ranges out of order: [" + r[0] + ", " + r[1] + ") after " + last.end);
            }
            if (last != null && r[0] - last.end <= gap && r[1] - last.start <= MAX_REQUEST) {
                last.end = r[1];
            } else {
                requests.add(new Request(r[0], r[1]));
            }
        }
    }

    /**
     * The bytes of the planned request holding {@code [from, to)}, clipped to {@code [lo, hi)} (the
     * batch asking), as a piece; null when no planned request holds the whole range (then
     * any planned request overlapping it is given up, so that nothing is read twice).
     */
    Piece take(long from, long to, long lo, long hi) throws IOException {
        int at = find(from);
        if (at < 0) {
            abandon(from, to);
            return null;
        }
        Request r = requests.get(at);
        if (r.dropped || to > r.end) {
            abandon(from, to);
            return null;
        }
        if (r.bytes == null) {
            r.bytes = reader.readData(r.start, Math.toIntExact(r.end - r.start));
            onFetch.accept(r.bytes.length);
        }
        for (int i = 0; i < at; i++) { // the search has moved on
            requests.get(i).bytes = null;
            requests.get(i).dropped = true;
        }
        long start = Math.max(r.start, lo);
        long end = Math.min(r.end, hi);
        return new Piece(start, Arrays.copyOfRange(r.bytes, Math.toIntExact(start - r.start), Math.toIntExact(end - r.start)));
    }

    /** Index of the request holding position {@code at}, or -1. */
    private int find(long at) {
        int lo = 0;
        int hi = requests.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Request r = requests.get(mid);
            if (r.end <= at) {
                lo = mid + 1;
            } else if (r.start > at) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Gives up the requests not made yet that overlap {@code [from, to)}. */
    private void abandon(long from, long to) {
        for (Request r : requests) {
            if (r.start < to && from < r.end && r.bytes == null) {
                r.dropped = true;
            }
        }
    }
}
