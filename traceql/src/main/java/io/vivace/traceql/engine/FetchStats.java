package io.vivace.traceql.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a query read, reported in every search response ({@code inspectedBytes}, {@code
 * inspectedTraces}, {@code inspectedSpans}). Sources add to it as they read; thread-safe.
 */
public final class FetchStats {
    private final LongAdder inspectedBytes = new LongAdder();
    private final LongAdder inspectedTraces = new LongAdder();
    private final LongAdder inspectedSpans = new LongAdder();

    /** Bytes read from storage or memory (compressed bytes for blocks). */
    public void addBytes(long bytes) {
        inspectedBytes.add(bytes);
    }

    /** Traces looked at (pruned or evaluated, but not skipped without reading). */
    public void addTraces(long traces) {
        inspectedTraces.add(traces);
    }

    /** Spans looked at. */
    public void addSpans(long spans) {
        inspectedSpans.add(spans);
    }

    public long inspectedBytes() {
        return inspectedBytes.sum();
    }

    public long inspectedTraces() {
        return inspectedTraces.sum();
    }

    public long inspectedSpans() {
        return inspectedSpans.sum();
    }

    /** Adds everything {@code other} counted. */
    public void add(FetchStats other) {
        addBytes(other.inspectedBytes());
        addTraces(other.inspectedTraces());
        addSpans(other.inspectedSpans());
    }
}
