package io.vivace.common.limits;

/**
 * The limits of one tenant, keyed as in Tempo's {@code overrides.defaults}.
 *
 * @param ingestion ingest rate and burst
 * @param global limits applying to reads and writes
 * @param compaction the tenant's retention
 */
public record Limits(Ingestion ingestion, Global global, Compaction compaction) {

    /** Limits with the default compaction settings. */
    public Limits(Ingestion ingestion, Global global) {
        this(ingestion, global, Compaction.DEFAULT);
    }

    /**
     * Compaction settings of a tenant.
     *
     * @param blockRetention blocks of this tenant that ended longer ago are deleted; 0 = the
     *     compactor's {@code compactor.compaction.block_retention}
     */
    public record Compaction(java.time.Duration blockRetention) {
        /** Use the compactor's retention. */
        public static final Compaction DEFAULT = new Compaction(java.time.Duration.ZERO);
    }

    /**
     * Ingest limits.
     *
     * @param rateStrategy {@code local}: the limit applies to each distributor
     * @param rateLimitBytes sustained bytes per second per tenant
     * @param burstSizeBytes bytes a tenant may send at once above the rate
     * @param maxTracesPerUser live traces a tenant may hold in an ingester (0 = unlimited)
     */
    public record Ingestion(String rateStrategy, long rateLimitBytes, long burstSizeBytes, int maxTracesPerUser) {}

    /**
     * Global limits.
     *
     * @param maxBytesPerTrace largest trace kept, in bytes of OTLP protobuf (0 = unlimited)
     */
    public record Global(long maxBytesPerTrace) {}

    /** Tempo's defaults. */
    public static Limits defaults() {
        return new Limits(new Ingestion("local", 15_000_000L, 20_000_000L, 10_000), new Global(5_000_000L), Compaction.DEFAULT);
    }

    /** Returns a list of problems, empty when valid. */
    public java.util.List<String> validate(String prefix) {
        java.util.List<String> errors = new java.util.ArrayList<>();
        // A partial YAML section can leave a whole sub-section out; report it instead of failing with an NPE.
        if (ingestion == null) {
            errors.add(prefix + "ingestion: missing (expected: a section)");
        } else {
            validateIngestion(prefix, errors);
        }
        if (global == null) {
            errors.add(prefix + "global: missing (expected: a section)");
        } else if (global.maxBytesPerTrace() < 0) {
            errors.add(prefix + "global.max_bytes_per_trace: " + global.maxBytesPerTrace() + " (expected: >= 0)");
        }
        if (compaction == null) {
            errors.add(prefix + "compaction: missing (expected: a section)");
        } else if (compaction.blockRetention() == null || compaction.blockRetention().isNegative()) {
            errors.add(prefix + "compaction.block_retention: " + compaction.blockRetention()
                    + " (expected: >= 0, 0 = the compactor's block_retention)");
        }
        return errors;
    }

    private void validateIngestion(String prefix, java.util.List<String> errors) {
        if (!"local".equals(ingestion.rateStrategy())) {
            errors.add(prefix + "ingestion.rate_strategy: " + ingestion.rateStrategy() + " (expected: local)");
        }
        if (ingestion.rateLimitBytes() <= 0) {
            errors.add(prefix + "ingestion.rate_limit_bytes: " + ingestion.rateLimitBytes() + " (expected: > 0)");
        }
        if (ingestion.burstSizeBytes() <= 0) {
            errors.add(prefix + "ingestion.burst_size_bytes: " + ingestion.burstSizeBytes() + " (expected: > 0)");
        }
        if (ingestion.maxTracesPerUser() < 0) {
            errors.add(prefix + "ingestion.max_traces_per_user: " + ingestion.maxTracesPerUser() + " (expected: >= 0)");
        }
    }
}
