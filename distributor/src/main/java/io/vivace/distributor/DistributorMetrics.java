package io.vivace.distributor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * The distributor's meters. Names are Micrometer's dotted form; the Prometheus registry exposes
 * them as {@code vivace_distributor_spans_received_total{tenant}},
 * {@code vivace_distributor_bytes_received_total{tenant}},
 * {@code vivace_discarded_spans_total{tenant,reason}} and
 * {@code vivace_distributor_request_duration_seconds{receiver,status}} (a histogram).
 */
public final class DistributorMetrics {
    /** Counter of spans accepted for appending, by tenant. */
    public static final String SPANS_RECEIVED = "vivace.distributor.spans.received";
    /** Counter of OTLP protobuf bytes accepted for appending, by tenant. */
    public static final String BYTES_RECEIVED = "vivace.distributor.bytes.received";
    /** Counter of refused spans, by tenant and reason (Tempo's {@code tempo_discarded_spans_total}). */
    public static final String DISCARDED_SPANS = "vivace.discarded.spans";
    /** Timer of receiver requests, by receiver and status. */
    public static final String REQUEST_DURATION = "vivace.distributor.request.duration";

    /** Tenant label used when a refusal happens before the tenant is known. */
    public static final String UNKNOWN_TENANT = "unknown";

    private final MeterRegistry registry;

    /** Creates the meters in {@code registry}. */
    public DistributorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Counts {@code spans} spans and {@code bytes} bytes accepted for {@code tenant}. */
    public void received(String tenant, int spans, long bytes) {
        Counter.builder(SPANS_RECEIVED).description("Spans accepted by the distributor")
                .tag("tenant", tenant).register(registry).increment(spans);
        Counter.builder(BYTES_RECEIVED).description("OTLP protobuf bytes accepted by the distributor")
                .baseUnit("bytes").tag("tenant", tenant).register(registry).increment(bytes);
    }

    /**
     * Counts {@code spans} refused spans. A refusal whose span count is unknown (an undecodable
     * body) still creates the series, with an increment of zero, so that it shows in dashboards.
     */
    public void discarded(String tenant, String reason, int spans) {
        Counter.builder(DISCARDED_SPANS).description("Spans refused, by reason")
                .tag("tenant", tenant).tag("reason", reason).register(registry).increment(Math.max(0, spans));
    }

    /** Records one receiver request that took {@code duration} and answered {@code status}. */
    public void request(String receiver, String status, Duration duration) {
        Timer.builder(REQUEST_DURATION).description("Time to answer a receiver request")
                .tag("receiver", receiver).tag("status", status)
                .publishPercentileHistogram()
                .register(registry).record(duration);
    }
}
