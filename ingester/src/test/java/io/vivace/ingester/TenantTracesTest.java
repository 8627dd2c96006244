package io.vivace.ingester;

import static io.vivace.ingester.TestSpans.resourceSpans;
import static io.vivace.ingester.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.errors.VivaceException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cutting policy and reservations, driven with explicit clock values. */
class TenantTracesTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long IDLE = 10 * SECOND;
    private static final long MAX_AGE = 1800 * SECOND;

    private static List<TracePieces.Prepared> push(long trace, long... spans) {
        return TracePieces.prepare(TracesData.newBuilder().addResourceSpans(resourceSpans("s", traceId(trace), spans)).build().toByteArray());
    }

    private static TenantTraces withTrace(long trace, long sequence, long now) {
        TenantTraces t = new TenantTraces("t");
        List<TracePieces.Prepared> p = push(trace, 1);
        assertThat(t.reserve(p, 0, 0, Duration.ofSeconds(1), now)).isNull();
        t.apply(p, sequence, now);
        return t;
    }

    @Test
    void aTraceWithAPushUnderWayIsNeverCut() {
        TenantTraces t = new TenantTraces("t");
        List<TracePieces.Prepared> p = push(1, 1);
        assertThat(t.reserve(p, 0, 0, Duration.ofSeconds(1), 0)).isNull();
        assertThat(t.cutIdleTraces(100 * IDLE, IDLE, MAX_AGE, true)).isZero();
        assertThat(t.liveTraceCount()).isEqualTo(1);

        t.unreserve(p);
        assertThat(t.liveTraceCount()).as("an unreserved empty trace disappears").isZero();
    }

    @Test
    void idleOrOldTracesMoveToTheHeadBlock() {
        TenantTraces t = withTrace(1, 5, 0);
        assertThat(t.cutIdleTraces(IDLE - 1, IDLE, MAX_AGE, false)).isZero();
        assertThat(t.cutIdleTraces(IDLE, IDLE, MAX_AGE, false)).isEqualTo(1);
        assertThat(t.head.traces).containsKey(traceId(1));

        // A trace that keeps receiving spans is moved once it is older than max_block_duration.
        TenantTraces busy = withTrace(2, 6, 0);
        List<TracePieces.Prepared> more = push(2, 2);
        busy.reserve(more, 0, 0, Duration.ofSeconds(1), MAX_AGE - 1);
        busy.apply(more, 7, MAX_AGE - 1);
        assertThat(busy.cutIdleTraces(MAX_AGE, IDLE, MAX_AGE, false)).isEqualTo(1);
    }

    @Test
    void theHeadBlockIsCutWhenOldBigOrQuiet() {
        TenantTraces t = withTrace(1, 5, 0);
        t.cutIdleTraces(IDLE, IDLE, MAX_AGE, false);
        long bytes = t.head.bytes;
        assertThat(t.maybeCutHead(IDLE + 1, MAX_AGE, bytes + 1, IDLE, false)).as("young, small, not quiet").isNull();
        assertThat(t.maybeCutHead(IDLE + 1, MAX_AGE, bytes, IDLE, false)).as("big").isNotNull();

        TenantTraces old = withTrace(1, 5, 0);
        old.cutIdleTraces(IDLE, IDLE, MAX_AGE, false);
        assertThat(old.maybeCutHead(IDLE + MAX_AGE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, false)).isNull();
        assertThat(old.maybeCutHead(IDLE + MAX_AGE, MAX_AGE, Long.MAX_VALUE, Long.MAX_VALUE, false)).as("old").isNotNull();

        TenantTraces quiet = withTrace(1, 5, 0);
        quiet.cutIdleTraces(IDLE, IDLE, MAX_AGE, false);
        TenantTraces.CutBlock cut = quiet.maybeCutHead(2 * IDLE, MAX_AGE, Long.MAX_VALUE, IDLE, false);
        assertThat(cut).as("quiet").isNotNull();
        assertThat(cut.minSequence).isEqualTo(5);
        assertThat(quiet.head.traces).isEmpty();
        assertThat(quiet.maybeCutHead(3 * IDLE, MAX_AGE, 0, IDLE, true)).as("nothing left to cut").isNull();
    }

    @Test
    void theSmallestReferencedSequenceSpansLiveHeadAndUnwrittenBlocks() {
        TenantTraces t = withTrace(1, 5, 0);
        List<TracePieces.Prepared> p = push(2, 1);
        t.reserve(p, 0, 0, Duration.ofSeconds(1), 0);
        t.apply(p, 9, IDLE);
        assertThat(t.minReferencedSequence()).isEqualTo(5);

        t.cutIdleTraces(IDLE, IDLE, MAX_AGE, false); // trace 1 → head
        assertThat(t.minReferencedSequence()).isEqualTo(5);
        TenantTraces.CutBlock cut = t.maybeCutHead(IDLE, MAX_AGE, 0, IDLE, false);
        assertThat(t.minReferencedSequence()).as("cut, not written").isEqualTo(5);
        cut.state = TenantTraces.CutBlock.State.FLUSHED;
        assertThat(t.minReferencedSequence()).as("written: only the live trace remains").isEqualTo(9);
    }

    @Test
    void reservationsCountAgainstTheLimits() {
        TenantTraces t = new TenantTraces("t");
        List<TracePieces.Prepared> first = push(1, 1);
        int size = first.get(0).bytes().length;
        assertThat(t.reserve(first, 1, size, Duration.ofSeconds(1), 0)).isNull();
        // Still pending (no apply yet): the second push of the same trace would exceed the bytes.
        VivaceException tooLarge = t.reserve(push(1, 2), 1, size, Duration.ofSeconds(1), 0);
        assertThat(tooLarge).isNotNull();
        assertThat(tooLarge.reason()).isEqualTo(Ingester.REASON_TRACE_TOO_LARGE);
        VivaceException tooMany = t.reserve(push(2, 1), 1, 0, Duration.ofSeconds(3), 0);
        assertThat(tooMany).isNotNull();
        assertThat(tooMany.reason()).isEqualTo(Ingester.REASON_LIVE_TRACES_EXCEEDED);
        assertThat(tooMany.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }
}
