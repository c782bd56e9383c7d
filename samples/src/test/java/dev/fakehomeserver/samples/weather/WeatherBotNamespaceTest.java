package dev.fakehomeserver.samples.weather;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.journal.Violation;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import dev.fakehomeserver.samples.common.MatrixClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The namespaces of {@code weather.yaml}, as the homeserver enforces them: the weather appservice owns
 * {@code @weather_.*} and {@code #weather_.*} exclusively, and nothing else.
 *
 * <p>Each refusal is a violation, which fails the test unless the test allows it: these tests expect them.
 */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:weather.yaml")
class WeatherBotNamespaceTest {

    @Test
    void the_weather_appservice_cannot_register_a_user_outside_its_namespace(Homeserver hs) {
        hs.allowViolation("M_EXCLUSIVE");
        MatrixClient weather = new MatrixClient(hs.url(), hs.registration("weather").asToken());

        MatrixClient.Answer answer = weather.call("POST", "/_matrix/client/v3/register", null,
                Map.of("type", "m.login.application_service", "username", "paris"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(hs.violations()).extracting(Violation::errcode, Violation::who)
                .containsExactly(tuple("M_EXCLUSIVE", "weather"));
        assertThat(hs.findUser("@paris:test")).isEmpty();
    }

    @Test
    void nobody_else_can_register_a_weather_user(Homeserver hs) {
        hs.allowViolation("M_EXCLUSIVE");
        MatrixClient anonymous = new MatrixClient(hs.url(), null);

        MatrixClient.Answer answer = anonymous.call("POST", "/_matrix/client/v3/register", null,
                Map.of("username", "weather_paris", "password", "hunter2", "auth", Map.of("type", "m.login.dummy")));

        assertThat(answer.errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(hs.findUser("@weather_paris:test")).isEmpty();
    }

    @Test
    void nobody_else_can_take_a_weather_alias(Homeserver hs) {
        hs.allowViolation("M_EXCLUSIVE");
        String room = hs.user("@alice:test").createRoom();
        MatrixClient alice = new MatrixClient(hs.url(), hs.user("@alice:test").accessToken());

        MatrixClient.Answer answer = alice.call("PUT", "/_matrix/client/v3/directory/room/"
                + MatrixClient.enc("#weather_paris:test"), null, Map.of("room_id", room));

        assertThat(answer.errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(hs).journal().hasViolation("M_EXCLUSIVE");
        assertThat(hs.findRoom("#weather_paris:test")).isEmpty();
    }
}
