package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.AS_TYPE;
import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.assertError;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * {@code /account/password} and {@code /account/deactivate} as Synapse 1.94 answers them (recorded in
 * conversations/account): the body before the token, then user-interactive auth with the password.
 */
class AccountManagementTest {
    private static final String PASSWORD = V3 + "/account/password";
    private static final String DEACTIVATE = V3 + "/account/deactivate";

    @AutoClose
    private final Fixture f = Fixture.start();

    private static Map<String, Object> auth(String user, String password, String session) {
        Map<String, Object> a = new HashMap<>(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", password));
        if (session != null) {
            a.put("session", session);
        }
        return a;
    }

    private Reply login(String user, String password) {
        return f.c.post(V3 + "/login").json(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", password)).send();
    }

    private int whoami(String token) {
        return f.c.get(V3 + "/account/whoami").token(token).send().status();
    }

    @Test
    void changing_the_password_asks_for_the_old_one_and_logs_out_the_other_devices() {
        String token = f.register("alice");
        String other = login("alice", "pw-alice").str("access_token");
        Reply challenge = f.c.post(PASSWORD).token(token).json(Map.of("new_password", "new-pw")).send();
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.json().at("/flows/0/stages/0").asText()).isEqualTo("m.login.password");
        String session = challenge.str("session");

        Reply wrong = f.c.post(PASSWORD).token(token)
                .json(Map.of("new_password", "new-pw", "auth", auth("alice", "nope", session))).send();
        assertError(wrong, 401, "M_FORBIDDEN", "Invalid username or password");
        assertThat(wrong.json().has("flows")).isTrue();

        Reply done = f.c.post(PASSWORD).token(token)
                .json(Map.of("new_password", "new-pw", "auth", auth("alice", "pw-alice", session))).send();
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(login("alice", "pw-alice").status()).isEqualTo(403);
        assertThat(login("alice", "new-pw").status()).isEqualTo(200);
        assertThat(whoami(other)).isEqualTo(401);
        assertThat(whoami(token)).isEqualTo(200);
    }

    @Test
    void logout_devices_false_keeps_the_other_devices() {
        String token = f.register("alice");
        String other = login("alice", "pw-alice").str("access_token");
        Reply r = f.c.post(PASSWORD).token(token).json(Map.of("new_password", "new-pw", "logout_devices", false,
                "auth", auth("alice", "pw-alice", null))).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(whoami(other)).isEqualTo(200);
    }

    @Test
    void the_body_is_checked_before_the_token_with_pydantics_errcodes() {
        assertError(f.c.post(PASSWORD).json(Map.of("new_password", 12)).send(), 400, "M_BAD_JSON", null);
        assertError(f.c.post(PASSWORD).json(Map.of("new_password", "x".repeat(513))).send(), 400, "M_INVALID_PARAM",
                null);
        assertError(f.c.post(PASSWORD).json(Map.of("logout_devices", "yes")).send(), 400, "M_INVALID_PARAM", null);
        assertError(f.c.post(DEACTIVATE).json(Map.of("erase", "yes")).send(), 400, "M_INVALID_PARAM", null);
        assertError(f.c.post(DEACTIVATE).json(Map.of()).send(), 401, "M_MISSING_TOKEN", null);
    }

    @Test
    void without_a_token_the_password_reset_wants_an_email() {
        Reply r = f.c.post(PASSWORD).json(Map.of("new_password", "x")).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/flows/0/stages/0").asText()).isEqualTo("m.login.email.identity");
    }

    @Test
    void a_completed_auth_without_new_password_is_a_missing_param() {
        String token = f.register("alice");
        assertError(f.c.post(PASSWORD).token(token).json(Map.of("auth", auth("alice", "pw-alice", null))).send(),
                400, "M_MISSING_PARAM", "Missing params: password");
    }

    @Test
    void another_users_password_is_invalid_auth() {
        String token = f.register("alice");
        f.register("bob");
        assertError(f.c.post(DEACTIVATE).token(token).json(Map.of("auth", auth("bob", "pw-bob", null))).send(),
                403, "M_FORBIDDEN", "Invalid auth");
    }

    @Test
    void an_unknown_auth_type_is_refused_as_login_refuses_it() {
        String token = f.register("alice");
        assertError(f.c.post(PASSWORD).token(token).json(Map.of("new_password", "x",
                "auth", Map.of("type", "m.login.nonsense"))).send(), 400, "M_INVALID_PARAM",
                "Invalid login submission");
        assertError(f.c.post(PASSWORD).token(token).json(Map.of("new_password", "x", "auth", Map.of(
                "type", "m.login.nonsense", "identifier", Map.of("type", "m.id.user", "user", "alice")))).send(),
                400, "M_UNKNOWN", "Unknown login type m.login.nonsense");
    }

    @Test
    void an_appservice_changes_its_ghosts_password_without_user_interactive_auth() {
        f.ghost("weather_bob");
        Reply r = f.c.post(PASSWORD).token(f.as).asUser("@weather_bob:test").json(Map.of("new_password", "g-pw")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(login("weather_bob", "g-pw").status()).isEqualTo(200);
    }

    @Test
    void deactivation_ends_the_sessions_refuses_logins_keeps_the_name_and_leaves_the_rooms() {
        String alice = f.register("alice");
        String room = f.createPublicRoom(alice);
        String token = f.register("dora");
        f.join(token, room);
        Reply challenge = f.c.post(DEACTIVATE).token(token).json(Map.of()).send();
        assertThat(challenge.status()).isEqualTo(401);
        Reply r = f.c.post(DEACTIVATE).token(token)
                .json(Map.of("auth", auth("dora", "pw-dora", challenge.str("session")))).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("id_server_unbind_result")).isEqualTo("no-support");

        assertThat(whoami(token)).isEqualTo(401);
        assertError(login("dora", "pw-dora"), 403, "M_FORBIDDEN", "Invalid username or password");
        assertError(f.c.post(V3 + "/register").json(Map.of("username", "dora", "password", "x",
                "auth", Map.of("type", "m.login.dummy"))).send(), 400, "M_USER_IN_USE", null);
        Reply members = f.c.get(rooms(room) + "/joined_members").token(alice).send();
        assertThat(members.json().path("joined").has("@dora:test")).isFalse();
    }

    @Test
    void erasing_blanks_the_profile() {
        String token = f.register("dora");
        Reply r = f.c.post(DEACTIVATE).token(token).json(Map.of("erase", true, "auth", auth("dora", "pw-dora", null)))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Reply profile = f.c.get(V3 + "/profile/@dora:test").send();
        assertThat(profile.status()).isEqualTo(200);
        assertThat(profile.json().size()).isZero();
    }

    @Test
    void an_appservice_deactivates_its_ghost_and_the_ghost_cannot_log_in() {
        f.ghost("weather_bob");
        Reply r = f.c.post(DEACTIVATE).token(f.as).asUser("@weather_bob:test").json(Map.of()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().size()).isZero();
        assertError(f.c.post(V3 + "/login").token(f.as).json(Map.of("type", AS_TYPE,
                "identifier", Map.of("type", "m.id.user", "user", "weather_bob"))).send(), 403, "M_USER_DEACTIVATED",
                "This account has been deactivated");
    }
}
