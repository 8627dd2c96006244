package io.vivace.bench;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import io.vivace.storage.block.TraceEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The targets.md corpus as a block writer takes it: traces in ascending ID order, each trace's
 * pieces combined as the ingester combines them before it writes a block.
 */
final class SortedTraces {
    private SortedTraces() {}

    /** {@code traces} traces of {@code spansPerTrace} spans, generated 1,000 traces at a time to bound the garbage. */
    static List<TraceEntry> generate(Random random, int traces, int spansPerTrace) {
        TreeMap<TraceId, List<ResourceSpans>> sorted = new TreeMap<>();
        for (int done = 0; done < traces; ) {
            int n = Math.min(1000, traces - done);
            Map<TraceId, List<ResourceSpans>> split = Traces.splitByTrace(Corpus.request(random, n, spansPerTrace).getResourceSpansList());
            split.forEach((id, pieces) -> sorted.put(id, Traces.combine(pieces)));
            done += n;
        }
        List<TraceEntry> out = new ArrayList<>(sorted.size());
        sorted.forEach((id, pieces) -> out.add(new TraceEntry(id, pieces)));
        return out;
    }
}
