package io.vivace.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TenantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"single-tenant", "a", "Team_42", "acme.prod", "x!-_.*'()y", "..a", "a..", "..."})
    void acceptsSupportedCharacters(String tenant) {
        assertThat(Tenants.validate(tenant)).isEqualTo(tenant);
    }

    @Test
    void acceptsMaximumLength() {
        String max = "t".repeat(Tenants.MAX_LENGTH);
        assertThat(Tenants.validate(max)).isEqualTo(max);
    }

    @Test
    void rejectsMissingTenantWithNoOrgId() {
        assertThatThrownBy(() -> Tenants.validate(null)).isInstanceOf(IllegalArgumentException.class).hasMessage("no org id");
        assertThatThrownBy(() -> Tenants.validate("")).isInstanceOf(IllegalArgumentException.class).hasMessage("no org id");
    }

    @Test
    void rejectsTooLong() {
        assertThatThrownBy(() -> Tenants.validate("t".repeat(Tenants.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tenant ID is too long: max 150 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void rejectsUnsafePathSegments(String tenant) {
        assertThatThrownBy(() -> Tenants.validate(tenant))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tenant ID is '.' or '..'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a|b", "a/b", "a b", "tenant:1", "é", "a\nb", "a\\b", "a#"})
    void rejectsUnsupportedCharacters(String tenant) {
        assertThatThrownBy(() -> Tenants.validate(tenant))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tenant ID '" + tenant + "' contains unsupported character '");
    }

    @Test
    void namesTheFirstUnsupportedCharacter() {
        assertThatThrownBy(() -> Tenants.validate("ok/then|"))
                .hasMessage("tenant ID 'ok/then|' contains unsupported character '/'");
    }
}
