package io.vivace.traceql.engine;

/**
 * Spans the engine can search: one block, or an ingester's recent data. Implementations live in the
 * storage and ingester modules; calls may come from several threads at once.
 */
public interface TraceSource {
    /** Receives traces; returns {@code false} to stop the source early. */
    @FunctionalInterface
    interface TraceSink {
        boolean accept(EvalTrace trace);
    }

    /** Receives tag names; returns {@code false} to stop early. */
    @FunctionalInterface
    interface TagNameSink {
        boolean accept(io.vivace.traceql.ast.AttributeScope scope, String name);
    }

    /** Receives tag values; returns {@code false} to stop early. */
    @FunctionalInterface
    interface TagValueSink {
        boolean accept(TagValue value);
    }

    /**
     * Streams every trace (or piece of a trace held here) that may satisfy the request: missing one
     * that satisfies it is a bug, sending extra ones only costs time. Adds what it read to {@code
     * stats}. Returns when done, when the sink returns false or when the request is cancelled.
     *
     * @throws java.io.UncheckedIOException when the data cannot be read
     */
    void fetch(FetchRequest request, FetchStats stats, TraceSink sink);

    /**
     * Streams the attribute names present in the requested scopes on spans matching the filter
     * (possibly with repeats). The default fetches traces and uses {@link SpanTags}.
     */
    default void tagNames(TagRequest request, FetchStats stats, TagNameSink sink) {
        SpanTags.names(this, request, stats, sink);
    }

    /**
     * Streams the values of {@code request.tag()} on spans matching the filter (possibly with
     * repeats). The default fetches traces and uses {@link SpanTags}.
     */
    default void tagValues(TagRequest request, FetchStats stats, TagValueSink sink) {
        SpanTags.values(this, request, stats, sink);
    }
}
