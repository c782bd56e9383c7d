package dev.fakehomeserver.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.LintFinding;
import dev.fakehomeserver.testing.TestClient;
import org.junit.jupiter.api.Test;

/** The platform's documented advice as lint findings naming the line (docs/platform.md, rule 5). */
class PlatformLintTest {
    /** Lines: 1 id, 2 url, 5 sender, 6 rate_limited, 10 the users regex, 13 the aliases regex. */
    private static final String LOOSE = String.join("\n", "id: loose", "url: http://127.0.0.1:9000",
            "as_token: as_loose_0123456789abcdef", "hs_token: hs_loose_0123456789abcdef", "sender_localpart: loosebot",
            "rate_limited: false", "namespaces:", "  users:", "    - exclusive: false", "      regex: '@.*'",
            "  aliases:", "    - exclusive: true", "      regex: '#loose_.*:test'", "");

    private static LintFinding finding(Homeserver hs, String field, String containing) {
        return hs.lint().stream().filter(f -> f.field().equals(field) && f.message().contains(containing))
                .findFirst().orElseThrow(() -> new AssertionError("no finding on " + field + " with '" + containing
                        + "' in " + hs.lint()));
    }

    @Test
    void my_loose_registration_gets_the_platforms_advice_each_naming_its_line() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registrationYaml(LOOSE).start()) {
            assertThat(finding(hs, "namespaces.users[0].regex", "matches every user").line()).isEqualTo(10);
            assertThat(finding(hs, "namespaces.users[0].regex", "does not end with '$'").line()).isEqualTo(10);
            assertThat(finding(hs, "namespaces.aliases[0].regex", "does not end with '$'").line()).isEqualTo(13);
            assertThat(finding(hs, "rate_limited", "rate_limited is false").line()).isEqualTo(6);
            LintFinding url = finding(hs, "url", "reachable from the Meldry cluster");
            assertThat(url.line()).isEqualTo(2);
            assertThat(url.toString()).isEqualTo("loose, url (line 2): url 'http://127.0.0.1:9000' is not HTTPS: the "
                    + "platform pushes from its cluster, and \"The endpoint must be reachable from the Meldry cluster "
                    + "(public HTTPS, or a tunneling service).\"");
        }
    }

    @Test
    void an_exclusive_regex_claiming_everyone_is_not_only_linted_but_refused_for_the_bridges_it_overlaps() {
        assertThatThrownBy(() -> Homeserver.builder().hostedPlatform(Plan.PRO)
                .registrationYaml(LOOSE.replace("exclusive: false", "exclusive: true")).start())
                .hasMessageStartingWith("namespace conflict: exclusive users regex '@.*' of 'loose'");
    }

    @Test
    void an_https_url_on_a_private_address_or_a_local_name_is_not_public() {
        for (String url : new String[] {"https://10.1.2.3/x", "https://[::1]:8443", "https://weather.local",
                "https://localhost:9000", "https://192.168.0.7"}) {
            try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO)
                    .registrationYaml(LOOSE.replace("http://127.0.0.1:9000", url)).start()) {
                assertThat(finding(hs, "url", "is not public").line()).as(url).isEqualTo(2);
            }
        }
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO)
                .registrationYaml(LOOSE.replace("http://127.0.0.1:9000", "https://weather.example.com/_matrix"))
                .start()) {
            assertThat(hs.lint()).extracting(LintFinding::field).doesNotContain("url");
        }
    }

    @Test
    void without_the_platform_the_reachability_advice_is_not_given_but_lines_are() {
        try (Homeserver hs = Homeserver.builder().registrationYaml(LOOSE).start()) {
            assertThat(hs.lint()).extracting(LintFinding::message).noneMatch(m -> m.contains("Meldry cluster"));
            assertThat(finding(hs, "rate_limited", "rate_limited is false").line()).isEqualTo(6);
        }
    }

    @Test
    void the_control_api_gives_the_findings_with_their_line() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registrationYaml(LOOSE).controlApi("t")
                .start()) {
            TestClient.Reply r = new TestClient(hs.url()).get("/_fakehs/v1/lint").token("t").send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("findings")).extracting(n -> n.get("field").asText(), n -> n.get("line").asInt())
                    .contains(tuple("rate_limited", 6), tuple("url", 2), tuple("namespaces.users[0].regex", 10));
        }
    }
}
