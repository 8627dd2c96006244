package io.vivace.traceql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vivace.model.tempopb.ServiceStats;
import io.vivace.model.tempopb.SpanSet;
import io.vivace.model.tempopb.TraceSearchMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchCombinerTest {
    private static final long MS = 1_000_000L;

    private static TraceSearchMetadata trace(String id, long start, int durationMs, String root, int matched) {
        SpanSet ss = SpanSet.newBuilder().setMatched(matched).build();
        return TraceSearchMetadata.newBuilder().setTraceID(id).setStartTimeUnixNano(start).setDurationMs(durationMs)
                .setRootServiceName(root).setRootTraceName(root.isEmpty() ? "" : root + "-op")
                .setSpanSet(ss).addSpanSets(ss)
                .putServiceStats("svc", ServiceStats.newBuilder().setSpanCount(matched).setErrorCount(1).build())
                .build();
    }

    private static List<String> ids(SearchCombiner c) {
        return c.results().stream().map(TraceSearchMetadata::getTraceID).toList();
    }

    @Test
    void mergesPiecesOfOneTrace() {
        SearchCombiner c = new SearchCombiner(10, false);
        c.add(trace("a", 1000 * MS, 5, "", 1));
        c.add(trace("a", 998 * MS, 3, "front", 2));
        TraceSearchMetadata m = c.results().get(0);
        assertThat(m.getRootServiceName()).isEqualTo("front");
        assertThat(m.getRootTraceName()).isEqualTo("front-op");
        assertThat(m.getStartTimeUnixNano()).isEqualTo(998 * MS);
        // Ends: 1005 ms and 1001 ms; from 998 ms that is 7 ms.
        assertThat(m.getDurationMs()).isEqualTo(7);
        assertThat(m.getSpanSetsList()).extracting(SpanSet::getMatched).containsExactly(1, 2);
        assertThat(m.getSpanSet().getMatched()).isEqualTo(1);
        assertThat(m.getServiceStatsMap()).isEqualTo(Map.of("svc", ServiceStats.newBuilder().setSpanCount(3).setErrorCount(2).build()));
    }

    @Test
    void traceWithoutRootIsLabelled() {
        SearchCombiner c = new SearchCombiner(0, false);
        c.add(trace("a", 1, 1, "", 1));
        assertThat(c.results().get(0).getRootServiceName()).isEqualTo("<root span not yet received>");
        assertThat(c.results().get(0).getRootTraceName()).isEmpty();
    }

    @Test
    void firstFoundKeepsTheFirstTracesAndStillMergesThem() {
        SearchCombiner c = new SearchCombiner(2, false);
        c.add(trace("old", 1 * MS, 1, "x", 1));
        assertThat(c.isComplete()).isFalse();
        c.add(trace("older", 0, 1, "x", 1));
        assertThat(c.isComplete()).isTrue();
        c.add(trace("newest", 50 * MS, 1, "x", 1));
        c.add(trace("old", 1 * MS, 1, "x", 4));
        assertThat(ids(c)).containsExactly("old", "older");
        assertThat(c.results().get(0).getSpanSetsCount()).isEqualTo(2);
    }

    @Test
    void mostRecentKeepsTheNewest() {
        SearchCombiner c = new SearchCombiner(2, true);
        c.add(trace("t1", 10 * MS, 1, "x", 1));
        c.add(trace("t3", 30 * MS, 1, "x", 1));
        c.add(trace("t2", 20 * MS, 1, "x", 1));
        c.add(trace("t0", 0, 1, "x", 1));
        assertThat(c.isComplete()).isFalse();
        assertThat(ids(c)).containsExactly("t3", "t2");
    }

    @Test
    void newestFirstThenByTraceId() {
        SearchCombiner c = new SearchCombiner(0, false);
        c.add(trace("b", 5, 1, "x", 1));
        c.add(trace("c", 9, 1, "x", 1));
        c.add(trace("a", 5, 1, "x", 1));
        assertThat(ids(c)).containsExactly("c", "a", "b");
        assertThat(c.isComplete()).isFalse();
    }

    @Test
    void checksItsArguments() {
        assertThatThrownBy(() -> new SearchCombiner(-1, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit: -1");
    }
}
