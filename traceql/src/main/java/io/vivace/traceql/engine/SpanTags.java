package io.vivace.traceql.engine;

/**
 * Tag names and values read from {@link EvalTrace}s: the generic implementation of {@link
 * TraceSource#tagNames} and {@link TraceSource#tagValues} for sources without a faster way.
 */
public final class SpanTags {
    private SpanTags() {
    }

    /** Fetches the request's traces from {@code source} and streams the tag names of matching spans. */
    public static void names(TraceSource source, TagRequest request, FetchStats stats, TraceSource.TagNameSink sink) {
        throw new UnsupportedOperationException("being written");
    }

    /** Fetches the request's traces from {@code source} and streams the values of the tag on matching spans. */
    public static void values(TraceSource source, TagRequest request, FetchStats stats, TraceSource.TagValueSink sink) {
        throw new UnsupportedOperationException("being written");
    }
}
