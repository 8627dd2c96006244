package io.vivace.distributor;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.common.limits.TokenBucket;
import io.vivace.ingest.IngestLog;
import io.vivace.ingest.PushBatch;
import io.vivace.model.Tenants;
import io.vivace.model.TraceId;
import io.vivace.model.wire.OtlpWireBatch;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The write path's gate: resolves the tenant, validates every span, applies the tenant's rate and
 * size limits, then appends the batch to the {@link IngestLog}. OTLP protobuf receivers scan the body
 * in place ({@link io.vivace.model.wire.OtlpWireScanner}) and call
 * {@link #push(String, OtlpWireBatch, byte[], long)}, so no span object is built; the other receivers
 * decode their protocol into OTLP {@link ResourceSpans} and call {@link #push(String, List, byte[], long)}.
 * Both paths apply the same checks with the same messages. The client is answered when the returned
 * future completes, that is once the batch is durable.
 *
 * <p>Every refusal is a {@link VivaceException} whose {@link ErrorCategory} maps to the HTTP status
 * and gRPC code Tempo answers with, and is counted in {@code vivace_discarded_spans_total} under its
 * {@link VivaceException#reason() reason}.
 */
public final class Distributor {
    /** Reason label: the request had no usable tenant. */
    public static final String REASON_UNAUTHENTICATED = "unauthenticated";
    /** Reason label: the tenant header was present but invalid. */
    public static final String REASON_INVALID_TENANT = "invalid_tenant";
    /** Reason label: a trace ID was not 16 bytes or was all zero. */
    public static final String REASON_INVALID_TRACE_ID = "invalid_trace_id";
    /** Reason label: a span ID or parent span ID was not 8 bytes or was all zero. */
    public static final String REASON_INVALID_SPAN_ID = "invalid_span_id";
    /** Reason label: the tenant's ingestion rate limit refused the request. */
    public static final String REASON_RATE_LIMITED = "rate_limited";
    /** Reason label: one trace in the request was larger than {@code max_bytes_per_trace}. */
    public static final String REASON_TRACE_TOO_LARGE = "trace_too_large";
    /** Reason label: the body could not be decoded. */
    public static final String REASON_BAD_REQUEST = "bad_request";
    /** Reason label: the body was larger than the receiver accepts. */
    public static final String REASON_TOO_LARGE = "request_too_large";
    /** Reason label: the ingest log refused or failed the append. */
    public static final String REASON_INGEST_FAILED = "ingest_failed";

    private final OverridesConfig overrides;
    private final boolean multitenancyEnabled;
    private final IngestLog log;
    private final DistributorMetrics metrics;
    private final Duration retryAfter;
    private final LongSupplier nanoClock;
    private final Map<String, TenantLimiter> limiters = new ConcurrentHashMap<>();

    /**
     * Creates a distributor.
     *
     * @param config the distributor section (for the retry delay)
     * @param overrides per-tenant limits
     * @param multitenancyEnabled when false every request belongs to {@link Tenants#SINGLE_TENANT}
     * @param log where accepted batches go
     * @param registry where the metrics go
     */
    public Distributor(DistributorConfig config, OverridesConfig overrides, boolean multitenancyEnabled, IngestLog log,
            MeterRegistry registry) {
        this(config, overrides, multitenancyEnabled, log, registry, System::nanoTime);
    }

    /** As the public constructor, with the clock the rate limiter reads (for tests). */
    Distributor(DistributorConfig config, OverridesConfig overrides, boolean multitenancyEnabled, IngestLog log,
            MeterRegistry registry, LongSupplier nanoClock) {
        this.retryAfter = Objects.requireNonNull(config, "config").retryAfter();
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.multitenancyEnabled = multitenancyEnabled;
        this.log = Objects.requireNonNull(log, "log");
        this.metrics = new DistributorMetrics(Objects.requireNonNull(registry, "registry"));
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** The distributor's meters, shared with the receivers. */
    public DistributorMetrics metrics() {
        return metrics;
    }

    /** The retry delay sent with {@link ErrorCategory#RESOURCE_EXHAUSTED} refusals (zero: none). */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether requests carry their tenant in {@code X-Scope-OrgID}. */
    public boolean multitenancyEnabled() {
        return multitenancyEnabled;
    }

    /**
     * Pushes one request's spans.
     *
     * @param tenantHeaderValue the {@code X-Scope-OrgID} header or metadata value, or {@code null}
     * @param resourceSpans the decoded spans
     * @param encodedOrNull the same spans as OTLP {@code TracesData} bytes when the receiver has them
     *     (an OTLP protobuf body), else {@code null} and the distributor encodes them
     * @param requestBytes size of the request in OTLP protobuf bytes, charged to the rate limit
     * @return a future completing when the batch is durable, or failing with a
     *     {@link VivaceException}; it never throws
     */
    public CompletableFuture<Void> push(String tenantHeaderValue, List<ResourceSpans> resourceSpans,
            byte[] encodedOrNull, long requestBytes) {
        final String tenant;
        final int spanCount;
        final byte[] encoded;
        try {
            tenant = resolveTenant(tenantHeaderValue);
            spanCount = countSpans(resourceSpans);
            if (spanCount == 0) {
                return CompletableFuture.completedFuture(null);
            }
            try {
                validate(resourceSpans);
                checkRateLimit(tenant, requestBytes);
                checkTraceSizes(tenant, resourceSpans);
            } catch (VivaceException e) {
                metrics.discarded(tenant, e.reason(), spanCount);
                throw e;
            }
            encoded = encodedOrNull != null ? encodedOrNull
                    : TracesData.newBuilder().addAllResourceSpans(resourceSpans).build().toByteArray();
        } catch (VivaceException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            // As in Tempo, an error without a status is Unavailable: the client retries.
            return CompletableFuture.failedFuture(new VivaceException(ErrorCategory.UNAVAILABLE, "internal",
                    "distributor failed: " + e, null));
        }
        metrics.received(tenant, spanCount, requestBytes);
        return append(tenant, new PushBatch(tenant, List.copyOf(resourceSpans), encoded, spanCount), spanCount);
    }

    private CompletableFuture<Void> append(String tenant, PushBatch batch, int spanCount) {
        CompletableFuture<Void> appended;
        try {
            appended = log.append(batch);
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        if (appended == null) {
            appended = CompletableFuture.failedFuture(new IllegalStateException("ingest log returned no future"));
        }
        return appended.handle((ignored, error) -> {
            if (error == null) {
                return null;
            }
            VivaceException failure = asAppendFailure(error);
            metrics.discarded(tenant, failure.reason(), spanCount);
            throw failure;
        });
    }

    /**
     * Pushes one OTLP protobuf request without decoding it: the same checks, messages and metrics as
     * {@link #push(String, List, byte[], long)}, read from the scanned bytes.
     *
     * @param tenantHeaderValue the {@code X-Scope-OrgID} header or metadata value, or {@code null}
     * @param scanned {@code encoded} as {@link io.vivace.model.wire.OtlpWireScanner#scan scanned}
     * @param encoded the request's OTLP {@code TracesData} / {@code ExportTraceServiceRequest} bytes
     * @param requestBytes size of the request in OTLP protobuf bytes, charged to the rate limit
     * @return a future completing when the batch is durable, or failing with a
     *     {@link VivaceException}; it never throws
     */
    public CompletableFuture<Void> push(String tenantHeaderValue, OtlpWireBatch scanned, byte[] encoded, long requestBytes) {
        final String tenant;
        final int spanCount;
        try {
            Objects.requireNonNull(scanned, "scanned");
            Objects.requireNonNull(encoded, "encoded");
            tenant = resolveTenant(tenantHeaderValue);
            spanCount = scanned.spanCount();
            if (spanCount == 0) {
                return CompletableFuture.completedFuture(null);
            }
            try {
                OtlpWireBatch.IdProblem problem = scanned.firstIdProblem();
                if (problem != null) {
                    throw VivaceException.invalid(problem.traceId() ? REASON_INVALID_TRACE_ID : REASON_INVALID_SPAN_ID,
                            problem.message());
                }
                checkRateLimit(tenant, requestBytes);
                checkTraceSizes(tenant, scanned);
            } catch (VivaceException e) {
                metrics.discarded(tenant, e.reason(), spanCount);
                throw e;
            }
        } catch (VivaceException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new VivaceException(ErrorCategory.UNAVAILABLE, "internal",
                    "distributor failed: " + e, null));
        }
        metrics.received(tenant, spanCount, requestBytes);
        return append(tenant, PushBatch.ofEncoded(tenant, encoded, spanCount), spanCount);
    }

    /**
     * The tenant of a request, as Tempo resolves it: {@link Tenants#SINGLE_TENANT} when multitenancy
     * is off (the header is ignored), else the header value, which must be one valid tenant ID.
     *
     * @throws VivaceException {@link ErrorCategory#UNAUTHENTICATED} {@code no org id} when the header
     *     is missing, {@link ErrorCategory#INVALID_ARGUMENT} when it is invalid or names several tenants
     */
    public String resolveTenant(String tenantHeaderValue) {
        if (!multitenancyEnabled) {
            return Tenants.SINGLE_TENANT;
        }
        try {
            if (tenantHeaderValue == null || tenantHeaderValue.isEmpty()) {
                throw new VivaceException(ErrorCategory.UNAUTHENTICATED, REASON_UNAUTHENTICATED, "no org id");
            }
            if (tenantHeaderValue.indexOf('|') >= 0) {
                throw new VivaceException(ErrorCategory.INVALID_ARGUMENT, REASON_INVALID_TENANT,
                        "multiple org IDs present: " + abbreviate(tenantHeaderValue)
                                + " (expected: one tenant when pushing spans)");
            }
            try {
                return Tenants.validate(tenantHeaderValue);
            } catch (IllegalArgumentException e) {
                throw new VivaceException(ErrorCategory.INVALID_ARGUMENT, REASON_INVALID_TENANT, e.getMessage());
            }
        } catch (VivaceException e) {
            // The tenant is unknown, so the span count is not worth decoding for; the series shows the refusal.
            metrics.discarded(DistributorMetrics.UNKNOWN_TENANT, e.reason(), 0);
            throw e;
        }
    }

    /**
     * The tenant label for metrics of a request refused before {@link #push} (an undecodable body):
     * the resolved tenant when there is one, else {@link DistributorMetrics#UNKNOWN_TENANT}. It never
     * throws and never returns an unvalidated header, which keeps label cardinality bounded.
     */
    public String tenantLabel(String tenantHeaderValue) {
        if (!multitenancyEnabled) {
            return Tenants.SINGLE_TENANT;
        }
        if (tenantHeaderValue == null || tenantHeaderValue.isEmpty() || tenantHeaderValue.indexOf('|') >= 0) {
            return DistributorMetrics.UNKNOWN_TENANT;
        }
        try {
            return Tenants.validate(tenantHeaderValue);
        } catch (IllegalArgumentException e) {
            return DistributorMetrics.UNKNOWN_TENANT;
        }
    }

    /**
     * Checks every span's IDs as Tempo's distributor does; one bad span rejects the whole request.
     * End before start is accepted, as in Tempo.
     *
     * @throws VivaceException {@link ErrorCategory#INVALID_ARGUMENT} naming the first problem
     */
    public static void validate(List<ResourceSpans> resourceSpans) {
        for (ResourceSpans rs : resourceSpans) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    validate(span);
                }
            }
        }
    }

    private static void validate(Span span) {
        ByteString traceId = span.getTraceId();
        if (traceId.size() != TraceId.BYTES) {
            throw VivaceException.invalid(REASON_INVALID_TRACE_ID,
                    "trace ids must be 128 bit, received " + traceId.size() * 8 + " bits");
        }
        if (allZero(traceId)) {
            throw VivaceException.invalid(REASON_INVALID_TRACE_ID,
                    "trace ids must be 128 bit and not all zero, received an all-zero trace id");
        }
        ByteString spanId = span.getSpanId();
        if (spanId.size() != 8 || allZero(spanId)) {
            throw VivaceException.invalid(REASON_INVALID_SPAN_ID,
                    "span ids must be 64 bit and not all zero, received " + spanId.size() * 8 + " bits");
        }
        ByteString parent = span.getParentSpanId();
        if (!parent.isEmpty() && parent.size() != 8) {
            throw VivaceException.invalid(REASON_INVALID_SPAN_ID,
                    "parent span ids must be empty or 64 bit, received " + parent.size() * 8 + " bits");
        }
    }

    private void checkRateLimit(String tenant, long requestBytes) {
        Limits.Ingestion ingestion = overrides.forTenant(tenant).ingestion();
        long rate = ingestion.rateLimitBytes();
        long burst = ingestion.burstSizeBytes();
        TenantLimiter limiter = limiters.compute(tenant, (t, existing) ->
                existing != null && existing.rate() == rate && existing.burst() == burst
                        ? existing : new TenantLimiter(rate, burst, new TokenBucket(rate, burst)));
        if (limiter.bucket().tryAcquire(requestBytes, nanoClock.getAsLong())) {
            return;
        }
        // Tempo's wording; the global limit is 0 under the "local" strategy, the only one Vivace has.
        String message = requestBytes > rate && requestBytes > burst
                ? "RATE_LIMITED: batch size (" + requestBytes + " bytes) exceeds ingestion limit (local: " + rate
                        + " bytes/s, global: 0 bytes/s, burst: " + burst + " bytes) while adding " + requestBytes
                        + " bytes for user " + tenant + ". consider reducing batch size or increasing rate limit."
                : "RATE_LIMITED: ingestion rate limit (local: " + rate + " bytes/s, global: 0 bytes/s, burst: " + burst
                        + " bytes) exceeded while adding " + requestBytes + " bytes for user " + tenant
                        + ". consider increasing the limit or reducing ingestion rate.";
        throw new VivaceException(ErrorCategory.RESOURCE_EXHAUSTED, REASON_RATE_LIMITED, message,
                retryAfter.isZero() ? null : retryAfter);
    }

    /*
     * A single trace larger than max_bytes_per_trace within one request is refused with
     * INVALID_ARGUMENT (HTTP 400), not RESOURCE_EXHAUSTED: sending the same request again can never
     * succeed, and OTel exporters retry RESOURCE_EXHAUSTED (with RetryInfo) forever-ish, so a
     * retryable code would only multiply the load. Tempo itself returns a non-retryable code
     * (FailedPrecondition) for TRACE_TOO_LARGE. The limit on a trace's accumulated size across
     * requests belongs to the ingester, which sees the whole trace.
     */
    private void checkTraceSizes(String tenant, List<ResourceSpans> resourceSpans) {
        long max = overrides.forTenant(tenant).global().maxBytesPerTrace();
        if (max <= 0) {
            return;
        }
        Map<ByteString, Long> sizes = new HashMap<>();
        for (ResourceSpans rs : resourceSpans) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    long size = sizes.merge(span.getTraceId(), (long) span.getSerializedSize(), Long::sum);
                    if (size > max) {
                        throw VivaceException.invalid(REASON_TRACE_TOO_LARGE,
                                "TRACE_TOO_LARGE: max size of trace (" + max + ") exceeded while adding " + size
                                        + " bytes to trace " + TraceId.fromByteString(span.getTraceId()).toHex()
                                        + " for tenant " + tenant);
                    }
                }
            }
        }
    }

    /** As {@link #checkTraceSizes(String, List)}, over scanned bytes (same order, sums and message). */
    private void checkTraceSizes(String tenant, OtlpWireBatch scanned) {
        long max = overrides.forTenant(tenant).global().maxBytesPerTrace();
        if (max <= 0) {
            return;
        }
        long[] sizes = new long[scanned.traceCount()];
        for (int i = 0, n = scanned.spanCount(); i < n; i++) {
            int t = scanned.spanTrace(i);
            long size = sizes[t] += scanned.spanSize(i);
            if (size > max) {
                throw VivaceException.invalid(REASON_TRACE_TOO_LARGE,
                        "TRACE_TOO_LARGE: max size of trace (" + max + ") exceeded while adding " + size
                                + " bytes to trace " + scanned.traceId(t).toHex() + " for tenant " + tenant);
            }
        }
    }

    private static VivaceException asAppendFailure(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof VivaceException ve) {
            return ve;
        }
        // Unknown failures are retryable, as Tempo's non-status errors become Unavailable.
        return new VivaceException(ErrorCategory.UNAVAILABLE, REASON_INGEST_FAILED,
                "failed to append spans to the ingest log: " + cause, null);
    }

    private static int countSpans(List<ResourceSpans> resourceSpans) {
        Objects.requireNonNull(resourceSpans, "resourceSpans");
        int n = 0;
        for (ResourceSpans rs : resourceSpans) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                n += ss.getSpansCount();
            }
        }
        return n;
    }

    private static boolean allZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    private record TenantLimiter(long rate, long burst, TokenBucket bucket) {}
}
