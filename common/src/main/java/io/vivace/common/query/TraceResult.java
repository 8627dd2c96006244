package io.vivace.common.query;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;

/**
 * The pieces of one trace found by a lookup, with what the lookup read.
 *
 * @param resourceSpans the trace's spans, possibly from several sources, not yet combined
 * @param inspectedBytes bytes read to find them
 * @param blocksSearched blocks whose data was read
 */
public record TraceResult(List<ResourceSpans> resourceSpans, long inspectedBytes, int blocksSearched) {
    /** Nothing found. */
    public static TraceResult empty() {
        return new TraceResult(List.of(), 0, 0);
    }
}
