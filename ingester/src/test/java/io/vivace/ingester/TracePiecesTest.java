package io.vivace.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire-level split stores exactly the bytes the object-based split and re-encoding stored. */
class TracePiecesTest {
    @Test
    void preparedBytesEqualTheEncodedObjectSplit() {
        List<ResourceSpans> batch = List.of(
                TestSpans.resourceSpans("a", TestSpans.traceId(1), 1, 2),
                TestSpans.resourceSpans("b", TestSpans.traceId(2), 3),
                TestSpans.resourceSpans("a", TestSpans.traceId(1), 4));
        byte[] encoded = TracesData.newBuilder().addAllResourceSpans(batch).build().toByteArray();

        List<TracePieces.Prepared> prepared = TracePieces.prepare(encoded);
        Map<TraceId, List<ResourceSpans>> expected = Traces.splitByTrace(batch);

        assertThat(prepared).extracting(TracePieces.Prepared::id).containsExactlyElementsOf(expected.keySet());
        for (TracePieces.Prepared p : prepared) {
            assertThat(p.bytes()).isEqualTo(TracePieces.encode(expected.get(p.id())));
            assertThat(TracePieces.decode(p.bytes(), 0, p.bytes().length)).isEqualTo(expected.get(p.id()));
            assertThat(p.spanCount()).isEqualTo(Traces.spanCount(expected.get(p.id())));
        }
    }
}
