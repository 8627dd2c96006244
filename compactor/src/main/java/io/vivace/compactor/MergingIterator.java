package io.vivace.compactor;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import io.vivace.storage.block.TraceEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges several trace iterators, each in ascending trace-ID order, into one: a trace present in
 * several inputs comes out once, its pieces combined and duplicate spans dropped ({@link
 * Traces#combine}). Holds one trace per input in memory (the inputs decode one record batch at a
 * time).
 */
final class MergingIterator implements Iterator<TraceEntry> {
    private record Head(TraceEntry entry, Iterator<TraceEntry> source) {}

    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> a.entry().id().compareTo(b.entry().id()));
    private long inputSpans;
    private long outputSpans;

    MergingIterator(List<Iterator<TraceEntry>> inputs) {
        for (Iterator<TraceEntry> it : inputs) {
            advance(it);
        }
    }

    private void advance(Iterator<TraceEntry> it) {
        if (it.hasNext()) {
            TraceEntry e = it.next();
            inputSpans += Traces.spanCount(e.resourceSpans());
            heads.add(new Head(e, it));
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public TraceEntry next() {
        Head first = heads.poll();
        if (first == null) {
            throw new NoSuchElementException();
        }
        TraceId id = first.entry().id();
        List<ResourceSpans> pieces = new ArrayList<>(first.entry().resourceSpans());
        advance(first.source());
        int sources = 1;
        while (!heads.isEmpty() && heads.peek().entry().id().equals(id)) {
            Head more = heads.poll();
            pieces.addAll(more.entry().resourceSpans());
            advance(more.source());
            sources++;
        }
        List<ResourceSpans> merged = sources == 1 ? pieces : Traces.combine(pieces);
        outputSpans += Traces.spanCount(merged);
        return new TraceEntry(id, merged);
    }

    /** Spans read from the inputs so far. */
    long inputSpans() {
        return inputSpans;
    }

    /** Spans written out so far (input spans minus duplicates). */
    long outputSpans() {
        return outputSpans;
    }
}
