package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceLayoutTest {
    private static final TraceId ID = new TraceId(0, 77);

    private static Span span(long id, long parent, long start) {
        Span.Builder s = Span.newBuilder().setTraceId(ID.toByteString()).setSpanId(SpanIds.toByteString(id))
                .setName("s" + id).setStartTimeUnixNano(start).setEndTimeUnixNano(start + 10);
        if (parent != 0) {
            s.setParentSpanId(SpanIds.toByteString(parent));
        }
        return s.build();
    }

    private static Map<Long, int[]> layout(Span... spans) {
        TraceLayout t = new TraceLayout(ID, List.of(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))).build()));
        Map<Long, int[]> out = new HashMap<>();
        for (TraceLayout.Row r : t.rows) {
            out.put(r.spanId, new int[] {r.left, r.right, r.parent, r.children});
        }
        return out;
    }

    @Test
    void numbersATreeDepthFirstInStartOrder() {
        // 1 -> (2 -> 4), 3 ; children ordered by start time.
        Map<Long, int[]> n = layout(span(3, 1, 30), span(4, 2, 25), span(1, 0, 10), span(2, 1, 20));
        assertThat(n.get(1L)).containsExactly(1, 8, -1, 2);
        assertThat(n.get(2L)).containsExactly(2, 5, 1, 1);
        assertThat(n.get(4L)).containsExactly(3, 4, 2, 0);
        assertThat(n.get(3L)).containsExactly(6, 7, 1, 0);
    }

    @Test
    void numbersSeveralRootsWithOneCounterAndLeavesOrphansUnnumbered() {
        Map<Long, int[]> n = layout(span(1, 0, 10), span(2, 0, 20), span(5, 2, 21), span(7, 99, 5), span(8, 7, 6));
        assertThat(n.get(1L)).containsExactly(1, 2, -1, 0);
        assertThat(n.get(2L)).containsExactly(3, 6, -1, 1);
        assertThat(n.get(5L)).containsExactly(4, 5, 3, 0);
        assertThat(n.get(7L)).as("orphan: parent 99 is not in the trace").containsExactly(0, 0, 0, 1);
        assertThat(n.get(8L)).as("descendant of an orphan").containsExactly(0, 0, 0, 0);
    }

    @Test
    void aSpanThatIsItsOwnParentDoesNotLoop() {
        Map<Long, int[]> n = layout(span(1, 0, 1), span(3, 3, 2));
        assertThat(n.get(1L)).containsExactly(1, 2, -1, 0);
        assertThat(n.get(3L)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void traceLevelValuesComeFromTheEarliestRoot() {
        Span root = span(1, 0, 10).toBuilder().setName("GET /").build();
        TraceLayout t = new TraceLayout(ID, List.of(ResourceSpans.newBuilder()
                .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(TestTraces.string("service.name", "front")))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(2, 1, 50)).addSpans(root)).build()));
        assertThat(t.rootName).isEqualTo(ByteString.copyFromUtf8("GET /"));
        assertThat(t.rootServiceName).isEqualTo(ByteString.copyFromUtf8("front"));
        assertThat(t.traceStart).isEqualTo(10);
        assertThat(t.traceEnd).isEqualTo(60);
        assertThat(t.rows[0].spanId).isEqualTo(1);
    }
}
