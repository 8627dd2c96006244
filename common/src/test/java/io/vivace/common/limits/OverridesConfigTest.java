package io.vivace.common.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverridesConfigTest {

    private static Limits limits(long rate) {
        return new Limits(new Limits.Ingestion("local", rate, rate * 2, 100), new Limits.Global(1_000));
    }

    @Test
    void tenantWithoutExceptionGetsTheDefaults() {
        OverridesConfig config = new OverridesConfig(limits(10), Map.of("acme", limits(99)));

        assertThat(config.forTenant("other")).isEqualTo(limits(10));
        assertThat(config.forTenant("single-tenant")).isSameAs(config.defaults());
    }

    @Test
    void tenantWithExceptionGetsItsOwnLimits() {
        OverridesConfig config = new OverridesConfig(limits(10), Map.of("acme", limits(99), "beta", limits(5)));

        assertThat(config.forTenant("acme")).isEqualTo(limits(99));
        assertThat(config.forTenant("beta").ingestion().rateLimitBytes()).isEqualTo(5);
    }

    @Test
    void tenantIdsAreCaseSensitive() {
        OverridesConfig config = new OverridesConfig(limits(10), Map.of("acme", limits(99)));

        assertThat(config.forTenant("ACME")).isEqualTo(limits(10));
    }

    @Test
    void nullPerTenantMapOrNullEntryFallsBackToDefaults() {
        assertThat(new OverridesConfig(limits(10), null).forTenant("acme")).isEqualTo(limits(10));
        Map<String, Limits> withNull = new HashMap<>();
        withNull.put("acme", null);
        assertThat(new OverridesConfig(limits(10), withNull).forTenant("acme")).isEqualTo(limits(10));
    }

    @Test
    void defaultConfigHasTempoDefaultsAndNoExceptions() {
        OverridesConfig config = OverridesConfig.defaultConfig();

        assertThat(config.perTenant()).isEmpty();
        assertThat(config.defaults()).isEqualTo(Limits.defaults());
        assertThat(config.forTenant("anyone")).isEqualTo(Limits.defaults());
    }
}
