package dev.fakehomeserver.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.testing.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard through the control API, as a script in another language drives it. */
class PlatformControlApiTest {
    private static final String YAML = String.join("\n", "id: weather", "url: https://weather.example.com/_matrix",
            "as_token: as_weather_0123456789abcdef", "hs_token: hs_weather_0123456789abcdef",
            "sender_localpart: weatherbot", "namespaces:", "  users:", "    - exclusive: true",
            "      regex: '@weather_.*:test$'", "");
    private final VirtualClock clock = new VirtualClock();
    private final Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).clock(clock).controlApi("t")
            .hostResolver(host -> host.endsWith(".example.com")).start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
    }

    @Test
    void describes_the_plan_the_bridges_and_the_restart_state() {
        TestClient.Reply r = c.get("/_fakehs/v1/platform").token("t").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("plan")).isEqualTo("pro");
        assertThat(r.str("limit")).isEqualTo("1 custom appservice");
        assertThat(r.json().get("managed_bridges").findValuesAsText("id")).containsExactly("telegram", "slack", "discord");
        assertThat(r.json().get("restarting").asBoolean()).isFalse();
    }

    @Test
    void registers_through_the_dashboard_restarts_and_removes() {
        TestClient.Reply reg = c.post("/_fakehs/v1/platform/appservices").token("t").json(YAML).send();
        assertThat(reg.status()).as(reg.toString()).isEqualTo(200);
        assertThat(reg.str("id")).isEqualTo("weather");
        assertThat(reg.json().get("restarting").asBoolean()).isTrue();
        assertThat(reg.text()).doesNotContain("as_weather_0123456789abcdef");
        assertThat(c.get("/_matrix/client/v3/account/whoami").token("as_weather_0123456789abcdef").send().status())
                .isEqualTo(502);
        clock.advance(Duration.ofSeconds(10));
        assertThat(c.get("/_matrix/client/v3/account/whoami").token("as_weather_0123456789abcdef").send().status())
                .isEqualTo(200);

        TestClient.Reply second = c.post("/_fakehs/v1/platform/appservices").token("t")
                .json(YAML.replace("weather", "reminders")).send();
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.error()).startsWith("plan Pro allows 1 custom appservice; 'reminders'");

        TestClient.Reply removed = c.delete("/_fakehs/v1/platform/appservices/weather").token("t").send();
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("restarting").asBoolean()).isTrue();
        assertThat(c.delete("/_fakehs/v1/platform/appservices/telegram").token("t").send().errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(c.delete("/_fakehs/v1/platform/appservices/nobody").token("t").send().status()).isEqualTo(404);
    }

    @Test
    void a_url_that_does_not_resolve_is_refused_naming_the_field() {
        TestClient.Reply r = c.post("/_fakehs/v1/platform/appservices").token("t")
                .json(YAML.replace("weather.example.com", "weather.nowhere.invalid")).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(r.error()).startsWith("dashboard registration: url: the URL must resolve");
    }

    @Test
    void without_the_platform_the_routes_answer_404_saying_how_to_turn_it_on() {
        try (Homeserver plain = Homeserver.builder().controlApi("t").start()) {
            TestClient.Reply r = new TestClient(plain.url()).get("/_fakehs/v1/platform").token("t").send();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.error()).contains("--platform");
        }
    }
}
