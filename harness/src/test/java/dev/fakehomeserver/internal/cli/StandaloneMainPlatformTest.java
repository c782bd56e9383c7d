package dev.fakehomeserver.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.platform.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --platform PLAN}: the hosting platform's rules from the command line. */
class StandaloneMainPlatformTest {
    private final CliRun cli = new CliRun();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        cli.close();
    }

    private int run(Map<String, String> env, String... args) {
        return cli.run(env, args);
    }

    private Path registration(String id) throws IOException {
        Path f = dir.resolve(id + ".yaml");
        Files.writeString(f, String.join("\n", "id: " + id, "url: https://" + id + ".example.com/_matrix",
                "as_token: as_token_" + id + "_0123456789", "hs_token: hs_token_" + id + "_0123456789",
                "sender_localpart: " + id + "bot", "namespaces:", "  users:", "    - exclusive: true",
                "      regex: '@" + id + "_.*:test$'", ""));
        return f;
    }

    @Test
    void platform_pro_starts_with_the_managed_bridges_and_says_so_in_the_banner() throws IOException {
        assertThat(run(Map.of(), "--port", "0", "--platform", "pro", "--registration",
                registration("weather").toString())).isZero();
        assertThat(cli.started().hostedPlatform()).contains(Plan.PRO);
        assertThat(cli.out()).contains("  hosting platform on, plan Pro (1 custom "
                + "appservice); managed bridges telegram, slack, discord; docs/platform.md");
    }

    @Test
    void the_banner_gives_the_platforms_advice_with_the_line() throws IOException {
        Path local = registration("weather");
        Files.writeString(local, Files.readString(local).replace("https://weather.example.com", "http://127.0.0.1:9"));
        assertThat(run(Map.of(), "--port", "0", "--platform", "pro", "--registration", local.toString())).isZero();
        assertThat(cli.out()).contains("  warning: appservice weather, url (line 2): url 'http://127.0.0.1:9/_matrix' "
                + "is not HTTPS: the platform pushes from its cluster");
    }

    @Test
    void a_second_registration_on_pro_exits_2_naming_the_plan() throws IOException {
        assertThat(run(Map.of(), "--port", "0", "--platform=pro", "--registration", registration("weather").toString(),
                "--registration", registration("reminders").toString())).isEqualTo(2);
        assertThat(cli.err()).startsWith("fake-homeserver: bad registration: plan Pro "
                + "allows 1 custom appservice; 'reminders' (" + dir.resolve("reminders.yaml") + ") would be the 2nd");
    }

    @Test
    void on_free_without_a_registration_no_example_is_generated() {
        assertThat(run(Map.of("FAKEHS_PLATFORM", "free"), "--port", "0")).isZero();
        assertThat(cli.started().registrations()).extracting(r -> r.id()).containsExactly("telegram", "slack",
                "discord");
    }

    @Test
    void an_unknown_plan_exits_2_listing_the_plans() {
        assertThat(run(Map.of(), "--platform", "gold")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("fake-homeserver: Invalid value for option "
                + "'--platform': No plan 'gold'; the platform's plans are [free, starter, pro, business] (see --help)"
                + System.lineSeparator());
    }
}
