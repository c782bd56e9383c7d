package dev.fakehomeserver.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard's register and remove, and the restart after each (docs/platform.md, rule 3). */
class DashboardTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final VirtualClock clock = new VirtualClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final ScriptedAppservice bot = ScriptedAppservice.start();
    private final Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).clock(clock)
            .hostResolver(host -> host.equals("127.0.0.1") || host.endsWith(".example.com")).start();
    private final TestClient client = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
        bot.close();
    }

    private static String yaml(String id, String url, String usersRegex) {
        return String.join("\n", "id: " + id, "url: " + url, "as_token: as_" + id + "_0123456789abcdef",
                "hs_token: hs_" + id + "_0123456789abcdef", "sender_localpart: " + id + "bot", "namespaces:",
                "  users:", "    - exclusive: true", "      regex: '" + usersRegex + "'", "");
    }

    private String weatherYaml() {
        return yaml("weather", bot.url(), "@weather_.*:test$");
    }

    private TestClient.Reply whoami(String token) {
        return client.get("/_matrix/client/v3/account/whoami").token(token).send();
    }

    private TestClient.Reply registerGhost(String asToken, String localpart) {
        return client.post("/_matrix/client/v3/register").token(asToken)
                .json(Map.of("type", "m.login.application_service", "username", localpart)).send();
    }

    @Test
    void my_registration_is_accepted_and_the_homeserver_answers_502_while_it_restarts_for_ten_seconds() {
        Registration mine = hs.dashboard().register(weatherYaml());
        assertThat(mine.source()).isEqualTo("dashboard registration");
        assertThat(hs.dashboard().restarting()).isTrue();
        assertThat(hs.dashboard().restartEndsAt()).contains(clock.instant().plusSeconds(10));

        TestClient.Reply during = whoami(mine.asToken());
        assertThat(during.status()).isEqualTo(502);
        assertThat(during.errcode()).isEqualTo("M_UNKNOWN");
        assertThat(during.error()).startsWith("Bad Gateway: the homeserver is restarting");
        assertThat(client.get("/_matrix/client/versions").send().status()).isEqualTo(502);

        clock.advance(Duration.ofSeconds(9));
        assertThat(whoami(mine.asToken()).status()).isEqualTo(502);
        clock.advance(Duration.ofSeconds(1));
        assertThat(hs.dashboard().restarting()).isFalse();
        assertThat(whoami(mine.asToken()).str("user_id")).isEqualTo("@weatherbot:test");
        assertThat(hs.unexpectedViolations()).as("the restart's 502s are no violation").isEmpty();
    }

    @Test
    void nothing_is_pushed_during_the_restart_and_what_waited_is_pushed_after_it() {
        hs.dashboard().register(weatherYaml());
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().invite("@weatherbot:test"));
        AppserviceStatus held = hs.appserviceStatus("weather");
        assertThat(held.inFlight()).isFalse();
        assertThat(held.queuedEvents()).isPositive();

        clock.advance(Dashboard.RESTART);
        assertThat(hs.awaitAppserviceIdle("weather", WAIT)).isTrue();
        assertThat(bot.transactions()).isNotEmpty();
        assertThat(bot.transactions().get(0).body()).contains(room, "@weatherbot:test");
    }

    @Test
    void the_url_must_resolve_and_a_refused_registration_changes_nothing_and_restarts_nothing() {
        assertThatThrownBy(() -> hs.dashboard().register(yaml("weather", "https://weather.nowhere.invalid/_matrix",
                "@weather_.*:test$")))
                .isInstanceOf(RegistrationException.class)
                .hasMessage("dashboard registration: url: the URL must resolve, and host 'weather.nowhere.invalid'"
                        + " does not (the platform's dashboard checks it before registering)");
        assertThatThrownBy(() -> hs.dashboard().register(yaml("weather", "null", "@weather_.*:test$")))
                .hasMessageStartingWith("dashboard registration: url: the dashboard needs the url");
        assertThat(hs.dashboard().restarting()).isFalse();
        assertThat(hs.registrations()).extracting(Registration::id).doesNotContain("weather");
    }

    @Test
    void the_url_check_uses_the_resolver_the_test_gives() {
        hs.dashboard().hostResolver(host -> host.equals("weather.internal"));
        assertThat(hs.dashboard().register(yaml("weather", "https://weather.internal/x", "@weather_.*:test$")).url())
                .isEqualTo("https://weather.internal/x");
    }

    @Test
    void the_dashboard_refuses_a_clash_with_a_bridge_and_a_second_one_on_pro() {
        assertThatThrownBy(() -> hs.dashboard().register(yaml("tg", bot.url(), "@telegram_.*:test$")))
                .hasMessageStartingWith("namespace conflict: exclusive users regex '@telegram_.*:test$' of 'tg' "
                        + "(dashboard registration) overlaps")
                .hasMessageContaining("'telegram' (the platform's managed Telegram bridge)");
        hs.dashboard().register(weatherYaml());
        assertThatThrownBy(() -> hs.dashboard().register(yaml("reminders", bot.url(), "@remind_.*:test$")))
                .hasMessageStartingWith("plan Pro allows 1 custom appservice; 'reminders' (dashboard registration)"
                        + " would be the 2nd, after 'weather' (dashboard registration)");
    }

    @Test
    void a_yaml_error_names_the_field_and_the_line() {
        assertThatThrownBy(() -> hs.dashboard().register(weatherYaml().replace("exclusive: true", "exclusive: 'true'")))
                .hasMessage("dashboard registration: namespaces.users[0].exclusive (line 8): must be true or false, "
                        + "got the string \"true\"");
    }

    @Test
    void after_removal_my_ghosts_stay_but_i_cannot_act_as_them_and_nothing_is_pushed_to_me() {
        Registration mine = hs.dashboard().register(weatherYaml());
        clock.advance(Dashboard.RESTART);
        assertThat(registerGhost(mine.asToken(), "weather_paris").status()).isEqualTo(200);
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@weather_paris:test").join(room);
        hs.user("@weather_paris:test").send(room, "Paris: sunny");
        assertThat(hs.awaitAppserviceIdle("weather", WAIT)).isTrue();
        int pushedBefore = bot.transactions().size();

        hs.dashboard().remove("weather");
        assertThat(hs.dashboard().restarting()).isTrue();
        clock.advance(Dashboard.RESTART);

        assertThat(hs.room(room).joinedMembers()).contains("@weather_paris:test");
        assertThat(hs.room(room).messages()).extracting(e -> e.body()).contains("Paris: sunny");
        assertThat(hs.findUser("@weather_paris:test")).isPresent();
        TestClient.Reply asGhost = client.put("/_matrix/client/v3/rooms/" + TestClient.enc(room)
                + "/send/m.room.message/t1").token(mine.asToken()).asUser("@weather_paris:test")
                .json(Map.of("msgtype", "m.text", "body", "still here?")).send();
        assertThat(asGhost.status()).isEqualTo(401);
        assertThat(asGhost.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        hs.allowViolation("M_UNKNOWN_TOKEN");

        hs.user("@alice:test").join(room);
        hs.user("@alice:test").send(room, "anyone?");
        assertThat(hs.transactions().records()).filteredOn(t -> t.appserviceId().equals("weather")).hasSize(pushedBefore);
        assertThat(bot.transactions()).hasSize(pushedBefore);
    }

    @Test
    void removing_an_appservice_that_is_down_stops_its_retries() {
        Registration mine = hs.dashboard().register(weatherYaml());
        clock.advance(Dashboard.RESTART);
        hs.faults().appservice("weather").failTransactions(1);
        hs.user("@alice:test").createRoom(RoomOptions.create().invite("@weatherbot:test"));
        assertThat(hs.waitUntil(() -> hs.appserviceStatus("weather").down(), WAIT)).isTrue();
        int attempts = hs.transactions().records().size();
        hs.dashboard().remove(mine.id());
        clock.advance(Duration.ofMinutes(10));
        assertThat(hs.transactions().records()).hasSize(attempts);
    }

    @Test
    void a_register_during_a_restart_starts_it_over_and_a_reset_ends_it() {
        hs.dashboard().register(weatherYaml());
        clock.advance(Duration.ofSeconds(6));
        hs.dashboard().remove("weather");
        assertThat(hs.dashboard().restartEndsAt()).contains(clock.instant().plusSeconds(10));
        clock.advance(Duration.ofSeconds(6));
        assertThat(hs.dashboard().restarting()).isTrue();
        hs.reset();
        assertThat(hs.dashboard().restarting()).isFalse();
        assertThat(client.get("/_matrix/client/versions").send().status()).isEqualTo(200);
    }

    @Test
    void the_managed_bridges_cannot_be_removed_from_the_dashboard() {
        assertThatThrownBy(() -> hs.dashboard().remove("slack")).hasMessageContaining("is a managed bridge");
        assertThat(hs.dashboard().restarting()).isFalse();
        assertThat(hs.dashboard().managedBridges()).extracting(Registration::id)
                .containsExactly("telegram", "slack", "discord");
    }

    @Test
    void without_the_platform_there_is_no_dashboard() {
        try (Homeserver plain = Homeserver.builder().start()) {
            assertThatThrownBy(plain::dashboard).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("The hosting platform's rules are off, so there is no dashboard");
        }
    }
}
