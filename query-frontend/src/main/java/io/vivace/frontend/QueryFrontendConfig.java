package io.vivace.frontend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code query_frontend} section.
 *
 * @param apiTimeout longest time a query request may take before it is cancelled with an error
 * @param maxOutstandingPerTenant queries of one tenant running at once before new ones get 429
 * @param search the {@code search} subsection (search, tags and tag values)
 */
public record QueryFrontendConfig(Duration apiTimeout, int maxOutstandingPerTenant, Search search) {
    /**
     * The {@code query_frontend.search} subsection, with Tempo's key names.
     *
     * @param concurrentJobs jobs of one request running at once
     * @param targetBytesPerJob a block larger than this is split into several jobs
     * @param defaultResultLimit traces returned when the request has no {@code limit}
     * @param maxResultLimit largest {@code limit} accepted; 0 = no maximum
     * @param maxSpansPerSpanSet largest {@code spss} accepted; 0 = no maximum
     * @param maxDuration longest {@code end - start} accepted; 0 = no maximum
     * @param cacheSizeBytes memory for cached per-block job results; 0 disables the cache
     */
    public record Search(int concurrentJobs, long targetBytesPerJob, int defaultResultLimit, int maxResultLimit,
            int maxSpansPerSpanSet, Duration maxDuration, long cacheSizeBytes) {
        /** Defaults (Tempo's, except the cache, which Tempo keeps outside the process). */
        public static Search defaults() {
            return new Search(1000, 100L << 20, 20, 262144, 100, Duration.ofHours(168), 64L << 20);
        }
    }

    /** Defaults. */
    public static QueryFrontendConfig defaults() {
        return new QueryFrontendConfig(Duration.ofSeconds(30), 2000, Search.defaults());
    }

    /** Problems, empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (apiTimeout == null || apiTimeout.isNegative() || apiTimeout.isZero()) {
            errors.add("query_frontend.api_timeout: " + apiTimeout + " (expected: > 0)");
        }
        if (maxOutstandingPerTenant <= 0) {
            errors.add("query_frontend.max_outstanding_per_tenant: " + maxOutstandingPerTenant + " (expected: > 0)");
        }
        if (search == null) {
            errors.add("query_frontend.search: missing");
            return errors;
        }
        if (search.concurrentJobs() <= 0) {
            errors.add("query_frontend.search.concurrent_jobs: " + search.concurrentJobs() + " (expected: > 0)");
        }
        if (search.targetBytesPerJob() <= 0) {
            errors.add("query_frontend.search.target_bytes_per_job: " + search.targetBytesPerJob() + " (expected: > 0)");
        }
        if (search.defaultResultLimit() <= 0) {
            errors.add("query_frontend.search.default_result_limit: " + search.defaultResultLimit() + " (expected: > 0)");
        }
        if (search.maxResultLimit() < 0) {
            errors.add("query_frontend.search.max_result_limit: " + search.maxResultLimit() + " (expected: >= 0, 0 = no maximum)");
        } else if (search.maxResultLimit() > 0 && search.defaultResultLimit() > search.maxResultLimit()) {
            errors.add("query_frontend.search.default_result_limit: " + search.defaultResultLimit()
                    + " (expected: <= max_result_limit " + search.maxResultLimit() + ")");
        }
        if (search.maxSpansPerSpanSet() < 0) {
            errors.add("query_frontend.search.max_spans_per_span_set: " + search.maxSpansPerSpanSet() + " (expected: >= 0)");
        }
        if (search.maxDuration() == null || search.maxDuration().isNegative()) {
            errors.add("query_frontend.search.max_duration: " + search.maxDuration() + " (expected: >= 0, 0 = no maximum)");
        }
        if (search.cacheSizeBytes() < 0) {
            errors.add("query_frontend.search.cache_size_bytes: " + search.cacheSizeBytes() + " (expected: >= 0, 0 = off)");
        }
        return errors;
    }
}
