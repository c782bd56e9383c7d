package dev.fakehomeserver.internal.registration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationSetValidatorTest {
    private static final String SERVER = "test";

    private static Registration.Builder reg(String id) {
        return Registration.builder(id).source(id + ".yaml");
    }

    private static RegistrationException conflict(Registration a, Registration b) {
        return catchThrowableOfType(RegistrationException.class,
                () -> RegistrationSetValidator.checkNamespaceConflicts(List.of(a, b), SERVER));
    }

    private static void noConflict(Registration a, Registration b) {
        assertThatCode(() -> RegistrationSetValidator.checkNamespaceConflicts(List.of(a, b), SERVER))
                .doesNotThrowAnyException();
    }

    @Test
    void accepts_distinct_registrations() {
        assertThatCode(() -> RegistrationSetValidator.validate(List.of(reg("a").build(), reg("b").build()), SERVER))
                .doesNotThrowAnyException();
    }

    @Test
    void refuses_duplicate_id_naming_both_files() {
        List<Registration> regs = List.of(reg("weather").build(), reg("weather").source("other.yaml").build());

        assertThatThrownBy(() -> RegistrationSetValidator.validate(regs, SERVER))
                .isInstanceOf(RegistrationException.class)
                .hasMessage("Cannot reuse ID across application services: weather (files: weather.yaml, other.yaml)");
    }

    @Test
    void refuses_duplicate_as_token_without_printing_it() {
        String token = "as_secret_0123456789abcdef0123456789";
        List<Registration> regs = List.of(reg("a").asToken(token).build(), reg("b").asToken(token).build());

        RegistrationException e = catchThrowableOfType(RegistrationException.class,
                () -> RegistrationSetValidator.validate(regs, SERVER));

        assertThat(e).hasMessage("Cannot reuse as_token across application services: a and b (files: a.yaml, b.yaml)");
        assertThat(e.field()).isEqualTo("as_token");
    }

    @Test
    void accepts_duplicate_hs_token_as_synapse_does() {
        List<Registration> regs = List.of(reg("a").hsToken("same").build(), reg("b").hsToken("same").build());

        assertThatCode(() -> RegistrationSetValidator.validate(regs, SERVER)).doesNotThrowAnyException();
    }

    @Test
    void refuses_registration_built_in_code_that_the_loader_would_refuse() {
        assertThatThrownBy(() -> RegistrationSetValidator.validate(List.of(reg("a|b").build()), SERVER))
                .hasMessageContaining("cannot contain '|'");
        assertThatThrownBy(() -> RegistrationSetValidator.validate(List.of(reg("a").senderLocalpart("a b").build()),
                SERVER)).hasMessageContaining("sender_localpart");
        assertThatThrownBy(() -> RegistrationSetValidator.validate(List.of(reg("a").users("@a_(", true).build()),
                SERVER)).hasMessageContaining("a.yaml: namespaces.users[0].regex: invalid regular expression");
    }

    @Test
    void namespace_conflict_reported_with_both_ids_regexes_and_sources() {
        RegistrationException e = conflict(reg("weather").users("@weather_.*:test", true).build(),
                reg("forecast").users("@weather_.*:test", true).build());

        assertThat(e).hasMessageContaining("namespace conflict")
                .hasMessageContaining("'weather' (weather.yaml)")
                .hasMessageContaining("'forecast' (forecast.yaml)")
                .hasMessageContaining("exclusive users regex '@weather_.*:test'")
                .hasMessageContaining("both match '@weather_:test'");
        assertThat(e.source()).isEqualTo("forecast.yaml");
        assertThat(e.field()).isEqualTo("namespaces.users[0].regex");
    }

    @Test
    void namespace_conflict_found_when_a_broad_regex_covers_a_narrow_one() {
        RegistrationException e = conflict(reg("everyone").users("@.*:test", true).build(),
                reg("weather").users("@weather_.*:test", true).build());

        assertThat(e).hasMessageContaining("'@.*:test'").hasMessageContaining("'@weather_.*:test'");
    }

    @Test
    void namespace_conflict_found_by_re_prefixing_samples() {
        RegistrationException e = conflict(reg("irc").users("@irc_[^:]+:test", true).build(),
                reg("bob").users("@irc_bob.*", true).build());

        assertThat(e).hasMessageContaining("both match '@irc_boba:test'");
    }

    @Test
    void namespace_conflict_when_a_regex_claims_another_registrations_sender() {
        RegistrationException e = conflict(reg("weather").senderLocalpart("weather_bot").build(),
                reg("greedy").users("@weather_.*", true).build());

        assertThat(e).hasMessageContaining("sender '@weather_bot:test' of 'weather'")
                .hasMessageContaining("'@weather_.*' of 'greedy'");
    }

    @Test
    void namespace_conflict_for_aliases_and_rooms_too() {
        assertThat(conflict(reg("a").aliases("#x_.*", true).build(), reg("b").aliases("#x_y.*", true).build()))
                .hasMessageContaining("exclusive aliases regex");
        assertThat(conflict(reg("a").rooms("!x.*", true).build(), reg("b").rooms("!x.*", true).build()))
                .hasMessageContaining("exclusive rooms regex");
    }

    @Test
    void namespace_conflict_presumed_when_both_are_open_ended_after_a_common_prefix() {
        // No id matches both (they end differently); the check is conservative here, as documented.
        assertThat(conflict(reg("a").users("@a_.*:x$", true).build(), reg("b").users("@a_b.*:y$", true).build()))
                .hasMessageContaining("taken to overlap")
                .hasMessageContaining("common prefix '@a_'");
    }

    @Test
    void non_overlapping_prefixes_accepted() {
        noConflict(reg("weather").users("@weather_.*:test", true).aliases("#weather_.*:test", true).build(),
                reg("news").users("@news_.*:test", true).aliases("#news_.*:test", true).build());
    }

    @Test
    void closed_regexes_with_a_common_prefix_and_no_common_match_accepted() {
        noConflict(reg("a").users("@a_x$", true).build(), reg("b").users("@a_xy$", true).build());
    }

    @Test
    void non_exclusive_overlap_accepted() {
        noConflict(reg("a").users("@.*", false).build(), reg("b").users("@b_.*", true).build());
    }

    @Test
    void same_regex_in_different_namespace_kinds_accepted() {
        noConflict(reg("a").users("@x.*", true).build(), reg("b").aliases("@x.*", true).build());
    }
}
