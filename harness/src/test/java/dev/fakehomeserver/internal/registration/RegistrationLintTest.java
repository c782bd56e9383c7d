package dev.fakehomeserver.internal.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.LintFinding;
import dev.fakehomeserver.Registration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationLintTest {
    private static final String SERVER = "test";

    /** A registration with nothing to complain about; each test spoils one thing. */
    private static Registration.Builder clean() {
        return Registration.builder("weather")
                .url("https://weather.example.com")
                .users("@weather_.*:test$", true)
                .aliases("#weather_.*:test$", true);
    }

    private static List<LintFinding> lint(Registration.Builder b) {
        return RegistrationLint.lint(b.build(), SERVER);
    }

    private static List<String> fields(Registration.Builder b) {
        return lint(b).stream().map(LintFinding::field).toList();
    }

    @Test
    void clean_registration_has_no_findings() {
        assertThat(lint(clean())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"@.*", "@..*", "@.*:test", "@.+:test$", "@[a-z].*:test$"})
    void warns_about_users_regex_that_claims_every_user(String regex) {
        List<LintFinding> findings = lint(clean().users(regex, true));

        assertThat(findings).anySatisfy(f -> {
            assertThat(f.registrationId()).isEqualTo("weather");
            assertThat(f.field()).isEqualTo("namespaces.users[1].regex");
            assertThat(f.message()).contains("matches every user of test").contains("blocks normal user registration");
        });
    }

    @Test
    void narrow_users_regex_does_not_claim_every_user() {
        assertThat(lint(clean().users("@a.*:test$", true))).isEmpty();
    }

    @Test
    void warns_about_regex_without_server_part() {
        assertThat(lint(clean().rooms("!weather.*$", false)))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("has no server part"));
    }

    @Test
    void warns_about_regex_without_trailing_dollar() {
        assertThat(lint(clean().aliases("#news_.*:test", true)))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.field()).isEqualTo("namespaces.aliases[1].regex");
                    assertThat(f.message()).contains("does not end with '$'");
                });
    }

    @Test
    void warns_about_rate_limited_false() {
        assertThat(fields(clean().rateLimited(false))).containsExactly("rate_limited");
    }

    @Test
    void warns_about_url_that_is_not_https() {
        assertThat(fields(clean().url("http://127.0.0.1:9077"))).containsExactly("url");
    }

    @Test
    void null_url_has_no_finding() {
        assertThat(lint(clean().url(null))).isEmpty();
    }

    @Test
    void warns_about_short_tokens_without_printing_them() {
        List<LintFinding> findings = lint(clean().asToken("short_as").hsToken("short_hs"));

        assertThat(findings).extracting(LintFinding::field).containsExactly("as_token", "hs_token");
        assertThat(findings).allSatisfy(f -> assertThat(f.message()).contains("8 characters").doesNotContain("short"));
    }

    @Test
    void warns_about_as_token_equal_to_hs_token() {
        String token = Registration.Builder.randomToken();

        assertThat(fields(clean().asToken(token).hsToken(token))).containsExactly("hs_token");
    }

    @Test
    void golden_weather_registration_gets_the_expected_warnings() {
        Registration r = Registration.fromClasspath("registrations/weather.yaml");

        assertThat(RegistrationLint.lint(r, SERVER)).extracting(LintFinding::field).containsExactly(
                "namespaces.users[0].regex", "namespaces.aliases[0].regex", "rate_limited", "url");
    }
}
