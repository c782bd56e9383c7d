package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ordinary registration with the {@code m.login.dummy} stage and {@code /register/available} (§1.3). */
class OrdinaryRegistrationTest {
    @AutoClose
    private final Fixture f = Fixture.start();

    @BeforeEach
    void start() {
    }

    private Reply register(String username) {
        return f.c.post(V3 + "/register").json(Map.of("username", username, "password", "pw-12345",
                "auth", Map.of("type", "m.login.dummy"))).send();
    }

    private Reply available(String username) {
        return f.c.get(V3 + "/register/available").query("username", username).send();
    }

    @Test
    void answers_401_with_the_dummy_flow_params_and_a_session_when_auth_is_missing() {
        Reply r = f.c.post(V3 + "/register").json(Map.of("username", "alice", "password", "pw-12345")).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().path("flows").get(0).path("stages").get(0).asText()).isEqualTo("m.login.dummy");
        assertThat(r.json().path("params").isObject()).isTrue();
        assertThat(r.str("session")).isNotBlank();
    }

    @Test
    void registers_with_the_dummy_stage_and_logs_in() {
        Reply r = register("alice");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().fieldNames()).toIterable()
                .containsExactlyInAnyOrder("user_id", "home_server", "access_token", "device_id");
        assertThat(r.str("user_id")).isEqualTo("@alice:test");
        Reply me = f.c.get(V3 + "/account/whoami").token(r.str("access_token")).send();
        assertThat(me.str("user_id")).isEqualTo("@alice:test");
    }

    @Test
    void refuses_a_taken_name_with_M_USER_IN_USE() {
        register("alice");
        Reply r = register("alice");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_USER_IN_USE");
    }

    @Test
    void refuses_a_name_in_an_exclusive_appservice_namespace_with_M_EXCLUSIVE() {
        Reply r = register("weather_h");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(r.error()).isEqualTo("This user ID is reserved by an application service.");
    }

    @Test
    void refuses_the_appservice_sender_with_M_EXCLUSIVE() {
        assertThat(register("weatherbot").errcode()).isEqualTo("M_EXCLUSIVE");
    }

    @Test
    void refuses_a_leading_underscore_with_M_INVALID_USERNAME_before_looking_at_namespaces() {
        Reply r = register("_weather");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_USERNAME");
        assertThat(r.error()).isEqualTo("User ID may not begin with _");
    }

    @Test
    void refuses_guest_registration_with_a_403_M_UNKNOWN_and_unknown_kinds() {
        Reply guest = f.c.post(V3 + "/register").query("kind", "guest").json(Map.of()).send();
        assertThat(guest.status()).isEqualTo(403);
        // Synapse's SynapseError(403, "Guest access is disabled") carries no errcode of its own.
        assertThat(guest.errcode()).isEqualTo("M_UNKNOWN");
        Reply odd = f.c.post(V3 + "/register").query("kind", "robot").json(Map.of()).send();
        assertThat(odd.status()).isEqualTo(400);
        assertThat(odd.errcode()).isEqualTo("M_UNRECOGNIZED");
    }

    @Test
    void refuses_everyone_with_M_FORBIDDEN_when_registration_is_closed() {
        try (Fixture closed = Fixture.start(Fixture.weatherRegistration(),
                b -> b.openRegistration(false))) {
            Reply r = closed.c.post(V3 + "/register").json(Map.of("username", "alice",
                    "auth", Map.of("type", "m.login.dummy"))).send();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.error()).isEqualTo("Registration has been disabled");
            assertThat(closed.c.get(V3 + "/register/available").query("username", "alice").send().status())
                    .isEqualTo(403);
        }
    }

    @Test
    void reports_a_free_name_as_available() {
        Reply r = available("carol");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("available").asBoolean()).isTrue();
    }

    @Test
    void reports_taken_and_exclusive_names_with_the_registration_errors() {
        register("alice");
        assertThat(available("alice").errcode()).isEqualTo("M_USER_IN_USE");
        assertThat(available("weather_h").errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(available("_x").errcode()).isEqualTo("M_INVALID_USERNAME");
    }

    @Test
    void refuses_available_without_a_username_with_M_MISSING_PARAM() {
        Reply r = f.c.get(V3 + "/register/available").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_MISSING_PARAM");
    }
}
