package io.vivace.common.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void defaultsAreValid() {
        assertThat(Limits.defaults().validate("overrides.defaults.")).isEmpty();
    }

    @Test
    void defaultsArePinned() {
        Limits d = Limits.defaults();

        assertThat(d.ingestion().rateStrategy()).isEqualTo("local");
        assertThat(d.ingestion().rateLimitBytes()).isEqualTo(15_000_000L);
        assertThat(d.ingestion().burstSizeBytes()).isEqualTo(20_000_000L);
        assertThat(d.ingestion().maxTracesPerUser()).isEqualTo(10_000);
        assertThat(d.global().maxBytesPerTrace()).isEqualTo(5_000_000L);
    }

    @Test
    void zeroMeansUnlimitedWhereDocumented() {
        Limits l = new Limits(new Limits.Ingestion("local", 1, 1, 0), new Limits.Global(0));

        assertThat(l.validate("")).isEmpty();
    }

    @Test
    void reportsEveryProblemWithPrefixAndExpectation() {
        Limits bad = new Limits(new Limits.Ingestion("global", 0, -5, -1), new Limits.Global(-1));

        assertThat(bad.validate("overrides.per_tenant.acme.")).containsExactly(
                "overrides.per_tenant.acme.ingestion.rate_strategy: global (expected: local)",
                "overrides.per_tenant.acme.ingestion.rate_limit_bytes: 0 (expected: > 0)",
                "overrides.per_tenant.acme.ingestion.burst_size_bytes: -5 (expected: > 0)",
                "overrides.per_tenant.acme.ingestion.max_traces_per_user: -1 (expected: >= 0)",
                "overrides.per_tenant.acme.global.max_bytes_per_trace: -1 (expected: >= 0)");
    }

    @Test
    void reportsEachProblemAlone() {
        Limits rate = new Limits(new Limits.Ingestion("local", -1, 1, 0), new Limits.Global(0));
        Limits strategy = new Limits(new Limits.Ingestion(null, 1, 1, 0), new Limits.Global(0));

        assertThat(rate.validate("")).containsExactly("ingestion.rate_limit_bytes: -1 (expected: > 0)");
        assertThat(strategy.validate("")).containsExactly("ingestion.rate_strategy: null (expected: local)");
    }

    @Test
    void missingSectionsAreProblemsNotCrashes() {
        Limits noSections = new Limits(null, null);

        assertThat(noSections.validate("x.")).containsExactly(
                "x.ingestion: missing (expected: a section)",
                "x.global: missing (expected: a section)");
    }
}
