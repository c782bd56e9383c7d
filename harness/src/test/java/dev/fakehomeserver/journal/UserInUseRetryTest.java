package dev.fakehomeserver.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * An appservice that registers its ghost again after a restart gets {@code M_USER_IN_USE} and treats it as
 * success (matrix-appservice-bridge, mautrix): not a violation by default, one with {@code userInUseIsViolation}.
 */
class UserInUseRetryTest {
    private final Registration weather = TestRegistrations.weather();

    /** Registers @weather_paris:test twice as weather; returns the status of the second answer. */
    private int registerTwice(Homeserver hs) {
        TestClient c = new TestClient(hs.url());
        Map<String, String> body = Map.of("type", "m.login.application_service", "username", "weather_paris");
        c.post("/_matrix/client/v3/register").token(weather.asToken()).json(body).send();
        return c.post("/_matrix/client/v3/register").token(weather.asToken()).json(body).send().status();
    }

    private Homeserver start(UnaryOperator<HomeserverBuilder> options) {
        return options.apply(Homeserver.builder().registration(weather)).start();
    }

    @Test
    void registering_an_own_ghost_again_is_refused_with_M_USER_IN_USE_but_is_no_violation() {
        try (Homeserver hs = start(b -> b)) {
            assertThat(registerTwice(hs)).isEqualTo(400);
            assertThat(hs.journal().requests(r -> "M_USER_IN_USE".equals(r.errcode()))).hasSize(1);
            assertThat(hs.violations()).isEmpty();
        }
    }

    @Test
    void the_switch_counts_it_as_a_violation_again() {
        try (Homeserver hs = start(b -> b.userInUseIsViolation(true))) {
            registerTwice(hs);
            assertThat(hs.violations()).extracting(Violation::errcode).containsExactly("M_USER_IN_USE");
        }
    }

    @Test
    void a_user_in_use_outside_an_appservice_is_still_a_violation() {
        try (Homeserver hs = start(b -> b)) {
            hs.user("@carol:test");
            new TestClient(hs.url()).post("/_matrix/client/v3/register").json(Map.of("username", "carol",
                    "password", "pw-1234567", "auth", Map.of("type", "m.login.dummy"))).send();
            assertThat(hs.violations()).extracting(Violation::errcode).containsExactly("M_USER_IN_USE");
        }
    }
}
