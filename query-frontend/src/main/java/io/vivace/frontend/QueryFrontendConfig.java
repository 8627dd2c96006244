package io.vivace.frontend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code query_frontend} section.
 *
 * @param apiTimeout longest time a query request may take before it is cancelled with an error
 * @param maxOutstandingPerTenant queries of one tenant running at once before new ones get 429
 */
public record QueryFrontendConfig(Duration apiTimeout, int maxOutstandingPerTenant) {
    /** Defaults. */
    public static QueryFrontendConfig defaults() {
        return new QueryFrontendConfig(Duration.ofSeconds(30), 2000);
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
        return errors;
    }
}
