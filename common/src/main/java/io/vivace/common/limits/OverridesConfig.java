package io.vivace.common.limits;

import java.util.Map;

/**
 * The {@code overrides} section: limits for every tenant, and per-tenant exceptions.
 *
 * @param defaults limits of tenants without an exception
 * @param perTenant exceptions by tenant ID; each replaces the defaults for that tenant
 */
public record OverridesConfig(Limits defaults, Map<String, Limits> perTenant) {
    /** Tempo's defaults, no exceptions. */
    public static OverridesConfig defaultConfig() {
        return new OverridesConfig(Limits.defaults(), Map.of());
    }

    /** The limits of {@code tenant}. */
    public Limits forTenant(String tenant) {
        Limits l = perTenant == null ? null : perTenant.get(tenant);
        return l != null ? l : defaults;
    }
}
