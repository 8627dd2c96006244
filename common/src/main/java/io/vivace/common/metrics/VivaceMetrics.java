package io.vivace.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registry every module records into. One per process; tests may create their own and pass
 * it to constructors. Meter names use the {@code vivace_} prefix.
 */
public final class VivaceMetrics {
    private static final PrometheusMeterRegistry GLOBAL = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private VivaceMetrics() {}

    /** The process-wide registry. */
    public static PrometheusMeterRegistry registry() {
        return GLOBAL;
    }

    /** A fresh registry for tests. */
    public static MeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
