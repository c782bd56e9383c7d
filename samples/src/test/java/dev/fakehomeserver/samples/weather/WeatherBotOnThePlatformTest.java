package dev.fakehomeserver.samples.weather;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.LintFinding;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import dev.fakehomeserver.junit5.Lifecycle;
import dev.fakehomeserver.platform.Dashboard;
import dev.fakehomeserver.platform.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The weather bot's registration checked against the hosting platform's rules on the Pro plan (docs/platform.md)
 * before it is uploaded: accepted beside the managed bridges, the bot answers, a second appservice would be
 * refused, and the platform's advice about the file shows up as lint.
 */
@ExtendWith(FakeHomeserver.class)
// PER_METHOD: a registration removed through the dashboard stays removed across resets.
@FakeHomeserverConfig(registrations = "classpath:weather.yaml", platform = "pro", virtualClock = true,
        lifecycle = Lifecycle.PER_METHOD)
class WeatherBotOnThePlatformTest {
    @Test
    void my_registration_is_accepted_on_pro_beside_the_managed_bridges(Homeserver hs) {
        org.assertj.core.api.Assertions.assertThat(hs.hostedPlatform()).contains(Plan.PRO);
        org.assertj.core.api.Assertions.assertThat(hs.registrations()).extracting(Registration::id)
                .containsExactly("telegram", "slack", "discord", "weather");
    }

    @Test
    void the_bot_answers_on_the_platform(Homeserver hs) {
        Registration reg = hs.registration("weather");
        try (WeatherBot bot = new WeatherBot(hs.url(), "test", reg.asToken(), reg.hsToken(), city -> "sunny")) {
            hs.setAppserviceUrl("weather", bot.url());
            Actor alice = hs.user("@alice:test");
            String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT).invite("@weatherbot:test"));
            assertThat(hs).eventually().room(room).hasMember("@weatherbot:test");

            alice.send(room, "!weather paris");

            assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
            assertThat(hs).eventually().appservice("weather").isIdle();
        }
    }

    @Test
    void a_second_appservice_would_be_refused_on_pro(Homeserver hs) {
        String reminders = String.join("\n", "id: reminders", "url: http://127.0.0.1:9",
                "as_token: as_reminders_test_token", "hs_token: hs_reminders_test_token",
                "sender_localpart: remindbot", "namespaces:", "  users:", "    - exclusive: true",
                "      regex: '@remind_.*:test$'", "");
        assertThatThrownBy(() -> hs.dashboard().register(reminders))
                .hasMessageStartingWith("plan Pro allows 1 custom appservice; 'reminders'");
        org.assertj.core.api.Assertions.assertThat(hs.dashboard().restarting()).isFalse();
    }

    @Test
    void a_namespace_overlapping_the_telegram_bridge_would_be_refused(Homeserver hs, VirtualClock clock) {
        hs.dashboard().remove("weather");   // make room on Pro; the dashboard restarts the homeserver
        clock.advance(Dashboard.RESTART);
        String greedy = String.join("\n", "id: greedy", "url: http://127.0.0.1:9", "as_token: as_greedy_test_token",
                "hs_token: hs_greedy_test_token", "sender_localpart: greedybot", "namespaces:", "  users:",
                "    - exclusive: true", "      regex: '@tele.*:test$'", "");
        assertThatThrownBy(() -> hs.dashboard().register(greedy)).hasMessageStartingWith("namespace conflict:")
                .hasMessageContaining("'telegram' (the platform's managed Telegram bridge)");
    }

    @Test
    void the_platforms_advice_about_the_file_shows_as_lint(Homeserver hs) {
        // weather.yaml keeps the platform's example as it is: rate_limited: false, regexes without '$', a local url.
        org.assertj.core.api.Assertions.assertThat(hs.lint())
                .extracting(LintFinding::field, LintFinding::line)
                .contains(org.assertj.core.api.Assertions.tuple("rate_limited", 9),
                        org.assertj.core.api.Assertions.tuple("namespaces.users[0].regex", 13),
                        org.assertj.core.api.Assertions.tuple("url", 5));
        org.assertj.core.api.Assertions.assertThat(hs.lint()).extracting(LintFinding::message)
                .anyMatch(m -> m.contains("reachable from the Meldry cluster"));
    }
}
