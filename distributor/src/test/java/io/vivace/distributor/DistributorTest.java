package io.vivace.distributor;

import static io.vivace.distributor.TestSpans.SPAN_ID;
import static io.vivace.distributor.TestSpans.TRACE_ID;
import static io.vivace.distributor.TestSpans.resource;
import static io.vivace.distributor.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.ingest.PushBatch;
import io.vivace.model.Tenants;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DistributorTest {
    private final RecordingIngestLog log = new RecordingIngestLog();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    // TokenBucket starts from System.nanoTime(), so the test clock does too and only moves forward from there.
    private final AtomicLong clock = new AtomicLong(System.nanoTime());

    private Distributor distributor(boolean multitenancy, long rate, long burst, long maxBytesPerTrace) {
        Limits limits = new Limits(new Limits.Ingestion("local", rate, burst, 0), new Limits.Global(maxBytesPerTrace));
        return new Distributor(DistributorConfig.defaults(), new OverridesConfig(limits, Map.of()), multitenancy, log,
                registry, clock::get);
    }

    private Distributor distributor(boolean multitenancy) {
        return distributor(multitenancy, 1_000_000, 1_000_000, 0);
    }

    private static List<ResourceSpans> spans(Span... spans) {
        return List.of(resource("svc", spans));
    }

    private static VivaceException failure(CompletableFuture<Void> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(VivaceException.class);
            return (VivaceException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no failure");
    }

    private double discarded(String tenant, String reason) {
        Counter c = registry.find(DistributorMetrics.DISCARDED_SPANS).tags("tenant", tenant, "reason", reason).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void multitenancyOffIgnoresTheHeader() {
        Distributor d = distributor(false);
        assertThat(d.push("anything|at all", spans(span(TRACE_ID, SPAN_ID, "a")), null, 10)).isCompleted();
        assertThat(log.batches()).singleElement().extracting(PushBatch::tenant).isEqualTo(Tenants.SINGLE_TENANT);
        assertThat(d.resolveTenant(null)).isEqualTo("single-tenant");
    }

    @Test
    void multitenancyOnRequiresOneValidTenant() {
        Distributor d = distributor(true);
        VivaceException missing = failure(d.push(null, spans(span(TRACE_ID, SPAN_ID, "a")), null, 10));
        assertThat(missing.category()).isEqualTo(ErrorCategory.UNAUTHENTICATED);
        assertThat(missing).hasMessage("no org id");

        VivaceException invalid = failure(d.push("bad/tenant", spans(span(TRACE_ID, SPAN_ID, "a")), null, 10));
        assertThat(invalid.category()).isEqualTo(ErrorCategory.INVALID_ARGUMENT);
        assertThat(invalid).hasMessage("tenant ID 'bad/tenant' contains unsupported character '/'");

        VivaceException several = failure(d.push("a|b", spans(span(TRACE_ID, SPAN_ID, "a")), null, 10));
        assertThat(several.category()).isEqualTo(ErrorCategory.INVALID_ARGUMENT);
        assertThat(several.getMessage()).startsWith("multiple org IDs present: a|b");

        assertThat(log.batches()).isEmpty();
        assertThat(d.push("team-a", spans(span(TRACE_ID, SPAN_ID, "a")), null, 10)).isCompleted();
        assertThat(log.batches()).singleElement().extracting(PushBatch::tenant).isEqualTo("team-a");
        assertThat(discarded(DistributorMetrics.UNKNOWN_TENANT, "unauthenticated")).isZero();
        assertThat(discarded(DistributorMetrics.UNKNOWN_TENANT, "invalid_tenant")).isZero();
    }

    @Test
    void zeroSpansSucceedWithoutTouchingTheLog() {
        Distributor d = distributor(true);
        assertThat(d.push("t", List.of(), null, 0)).isCompleted();
        assertThat(d.push("t", List.of(ResourceSpans.getDefaultInstance()), null, 0)).isCompleted();
        assertThat(log.batches()).isEmpty();
        // The tenant is still checked first, as in Tempo.
        assertThat(failure(d.push(null, List.of(), null, 0)).category()).isEqualTo(ErrorCategory.UNAUTHENTICATED);
    }

    @Test
    void rejectsTheWholeRequestForOneBadTraceId() {
        Distributor d = distributor(false);
        VivaceException e = failure(d.push(null,
                spans(span(TRACE_ID, SPAN_ID, "ok"), span("0102030405060708", SPAN_ID, "short")), null, 10));
        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_ARGUMENT);
        assertThat(e).hasMessage("trace ids must be 128 bit, received 64 bits");
        assertThat(e.reason()).isEqualTo("invalid_trace_id");
        assertThat(log.batches()).isEmpty();
        assertThat(discarded("single-tenant", "invalid_trace_id")).isEqualTo(2);

        assertThat(failure(d.push(null, spans(span("", SPAN_ID, "none")), null, 10)))
                .hasMessage("trace ids must be 128 bit, received 0 bits");
        assertThat(failure(d.push(null, spans(span("00000000000000000000000000000000", SPAN_ID, "zero")), null, 10)))
                .hasMessage("trace ids must be 128 bit and not all zero, received an all-zero trace id");
    }

    @Test
    void rejectsBadSpanIds() {
        Distributor d = distributor(false);
        VivaceException shortId = failure(d.push(null, spans(span(TRACE_ID, "0102", "a")), null, 10));
        assertThat(shortId).hasMessage("span ids must be 64 bit and not all zero, received 16 bits");
        assertThat(shortId.reason()).isEqualTo("invalid_span_id");
        assertThat(failure(d.push(null, spans(span(TRACE_ID, "0000000000000000", "a")), null, 10)))
                .hasMessage("span ids must be 64 bit and not all zero, received 64 bits");
        Span badParent = span(TRACE_ID, SPAN_ID, "a").toBuilder().setParentSpanId(TestSpans.bytes("01")).build();
        assertThat(failure(d.push(null, spans(badParent), null, 10)))
                .hasMessage("parent span ids must be empty or 64 bit, received 8 bits");
        assertThat(discarded("single-tenant", "invalid_span_id")).isEqualTo(3);
    }

    @Test
    void endBeforeStartIsAccepted() {
        Span backwards = span(TRACE_ID, SPAN_ID, "a").toBuilder().setStartTimeUnixNano(10).setEndTimeUnixNano(5).build();
        assertThat(distributor(false).push(null, spans(backwards), null, 10)).isCompleted();
        assertThat(log.batches()).hasSize(1);
    }

    @Test
    void rateLimitRefillsAndBurstCapsOneRequest() {
        Distributor d = distributor(true, 100, 300, 0);
        List<ResourceSpans> rs = spans(span(TRACE_ID, SPAN_ID, "a"));
        assertThat(d.push("t", rs, null, 200)).isCompleted();
        VivaceException limited = failure(d.push("t", rs, null, 200));
        assertThat(limited.category()).isEqualTo(ErrorCategory.RESOURCE_EXHAUSTED);
        assertThat(limited).hasMessage("RATE_LIMITED: ingestion rate limit (local: 100 bytes/s, global: 0 bytes/s,"
                + " burst: 300 bytes) exceeded while adding 200 bytes for user t."
                + " consider increasing the limit or reducing ingestion rate.");
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limited.reason()).isEqualTo("rate_limited");
        // Another tenant has its own bucket.
        assertThat(d.push("u", rs, null, 200)).isCompleted();
        // Two seconds later the bucket has refilled to at least 200 bytes.
        clock.addAndGet(2_000_000_000L);
        assertThat(d.push("t", rs, null, 200)).isCompleted();

        VivaceException tooBig = failure(d.push("t", rs, null, 400));
        assertThat(tooBig).hasMessage("RATE_LIMITED: batch size (400 bytes) exceeds ingestion limit (local: 100 bytes/s,"
                + " global: 0 bytes/s, burst: 300 bytes) while adding 400 bytes for user t."
                + " consider reducing batch size or increasing rate limit.");
        assertThat(discarded("t", "rate_limited")).isEqualTo(2);
        assertThat(log.batches()).hasSize(3);
    }

    @Test
    void perTenantOverridesApply() {
        Limits small = new Limits(new Limits.Ingestion("local", 10, 10, 0), new Limits.Global(0));
        Distributor d = new Distributor(DistributorConfig.defaults(),
                new OverridesConfig(Limits.defaults(), Map.of("small", small)), true, log, registry, clock::get);
        List<ResourceSpans> rs = spans(span(TRACE_ID, SPAN_ID, "a"));
        assertThat(d.push("big", rs, null, 1000)).isCompleted();
        assertThat(failure(d.push("small", rs, null, 1000)).category()).isEqualTo(ErrorCategory.RESOURCE_EXHAUSTED);
    }

    @Test
    void zeroRetryDelayMeansNoRetryHint() {
        DistributorConfig noRetry = new DistributorConfig(DistributorConfig.defaults().receivers(), Duration.ZERO);
        Limits limits = new Limits(new Limits.Ingestion("local", 1, 1, 0), new Limits.Global(0));
        Distributor d = new Distributor(noRetry, new OverridesConfig(limits, Map.of()), false, log, registry, clock::get);
        assertThat(failure(d.push(null, spans(span(TRACE_ID, SPAN_ID, "a")), null, 5)).retryAfter()).isNull();
    }

    @Test
    void refusesATraceLargerThanMaxBytesPerTrace() {
        Distributor d = distributor(false, 1_000_000, 1_000_000, 150);
        Span big = span(TRACE_ID, SPAN_ID, "x".repeat(200));
        VivaceException e = failure(d.push(null, spans(span("0f".repeat(16), SPAN_ID, "small"), big), null, 300));
        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_ARGUMENT);
        assertThat(e.getMessage()).startsWith("TRACE_TOO_LARGE: max size of trace (150) exceeded while adding ")
                .endsWith(" bytes to trace " + TRACE_ID + " for tenant single-tenant");
        assertThat(discarded("single-tenant", "trace_too_large")).isEqualTo(2);
        // Small traces pass.
        assertThat(d.push(null, spans(span(TRACE_ID, SPAN_ID, "small")), null, 100)).isCompleted();
    }

    @Test
    void appendsEncodedTracesDataAndCountsReceived() throws Exception {
        Distributor d = distributor(false);
        List<ResourceSpans> rs = TestSpans.request(3).getResourceSpansList();
        d.push(null, rs, null, 123).get(1, TimeUnit.SECONDS);
        PushBatch batch = log.batches().get(0);
        assertThat(batch.spanCount()).isEqualTo(3);
        assertThat(TracesData.parseFrom(batch.encoded()).getResourceSpansList()).isEqualTo(rs);
        // Raw bytes given by the receiver are passed on untouched.
        byte[] raw = ExportTraceServiceRequest.newBuilder().addAllResourceSpans(rs).build().toByteArray();
        d.push(null, rs, raw, raw.length).get(1, TimeUnit.SECONDS);
        assertThat(log.batches().get(1).encoded()).isSameAs(raw);
        assertThat(registry.find(DistributorMetrics.SPANS_RECEIVED).tag("tenant", "single-tenant").counter().count())
                .isEqualTo(6);
        assertThat(registry.find(DistributorMetrics.BYTES_RECEIVED).tag("tenant", "single-tenant").counter().count())
                .isEqualTo(123 + raw.length);
    }

    @Test
    void appendFailuresAreUnavailableUnlessTheLogSaysOtherwise() {
        Distributor d = distributor(false);
        log.fail(new IllegalStateException("disk full"));
        VivaceException e = failure(d.push(null, spans(span(TRACE_ID, SPAN_ID, "a")), null, 10));
        assertThat(e.category()).isEqualTo(ErrorCategory.UNAVAILABLE);
        assertThat(e.getMessage()).contains("disk full");
        assertThat(discarded("single-tenant", "ingest_failed")).isEqualTo(1);

        log.fail(new VivaceException(ErrorCategory.RESOURCE_EXHAUSTED, "live_traces_exceeded", "LIVE_TRACES_EXCEEDED: too many"));
        VivaceException passed = failure(d.push(null, spans(span(TRACE_ID, SPAN_ID, "a")), null, 10));
        assertThat(passed).hasMessage("LIVE_TRACES_EXCEEDED: too many");
        assertThat(discarded("single-tenant", "live_traces_exceeded")).isEqualTo(1);

        log.answer(b -> {
            throw new IllegalStateException("boom");
        });
        assertThat(failure(d.push(null, spans(span(TRACE_ID, SPAN_ID, "a")), null, 10)).category())
                .isEqualTo(ErrorCategory.UNAVAILABLE);
    }

    @Test
    void thePushIsAsynchronous() {
        Distributor d = distributor(false);
        CompletableFuture<Void> durable = new CompletableFuture<>();
        log.answer(b -> durable);
        CompletableFuture<Void> pushed = d.push(null, spans(span(TRACE_ID, SPAN_ID, "a")), null, 10);
        assertThat(pushed).isNotDone();
        durable.complete(null);
        assertThat(pushed).isCompleted();
    }

    @Test
    void tenantLabelNeverLeaksUnvalidatedHeaders() {
        assertThat(distributor(true).tenantLabel("ok")).isEqualTo("ok");
        assertThat(distributor(true).tenantLabel("bad/one")).isEqualTo("unknown");
        assertThat(distributor(true).tenantLabel(null)).isEqualTo("unknown");
        assertThat(distributor(false).tenantLabel("x")).isEqualTo("single-tenant");
    }

    @Test
    void constructorChecksArguments() {
        assertThatThrownBy(() -> new Distributor(null, OverridesConfig.defaultConfig(), false, log, registry))
                .isInstanceOf(NullPointerException.class).hasMessage("config");
    }
}
