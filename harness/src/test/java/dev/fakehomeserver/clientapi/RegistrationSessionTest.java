package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Registration's user-interactive auth session and its checks as Synapse 1.94 answers them (recorded in
 * conversations/register): the session keeps the parameters and the password, makes its user once and logs it
 * in again on a retry; stages other than the dummy one do not pass; the password is required and checked.
 */
class RegistrationSessionTest {
    private static final Map<String, String> DUMMY = Map.of("type", "m.login.dummy");
    @AutoClose
    private final Fixture f = Fixture.start();

    private Reply register(Map<String, ?> body) {
        return f.c.post(V3 + "/register").json(body).send();
    }

    private String openSession(String username) {
        Reply r = register(Map.of("username", username, "password", "pw-12345"));
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        return r.str("session");
    }

    @Test
    void a_session_given_only_its_auth_registers_the_username_and_password_it_was_opened_with() {
        String session = openSession("alice");
        Reply r = register(Map.of("auth", Map.of("type", "m.login.dummy", "session", session)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("user_id")).isEqualTo("@alice:test");
        Reply login = f.c.post(V3 + "/login").json(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "pw-12345")).send();
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
    }

    @Test
    void a_completed_session_logs_its_user_in_again_and_refuses_another_username() {
        String session = openSession("alice");
        Map<String, String> auth = Map.of("type", "m.login.dummy", "session", session);
        Reply first = register(Map.of("username", "alice", "password", "pw-12345", "auth", auth));
        Reply again = register(Map.of("username", "alice", "password", "pw-12345", "auth", auth));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.str("user_id")).isEqualTo("@alice:test");
        assertThat(again.str("device_id")).isNotEqualTo(first.str("device_id"));
        Reply other = register(Map.of("username", "bob", "password", "pw-12345", "auth", auth));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.errcode()).isEqualTo("M_UNKNOWN");
        assertThat(other.error()).isEqualTo("A different user ID has already been registered for this session");
    }

    @Test
    void refuses_an_unknown_session_and_one_opened_on_another_path() {
        Reply unknown = register(Map.of("username", "alice", "password", "pw-12345",
                "auth", Map.of("type", "m.login.dummy", "session", "nope")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).isEqualTo("Unknown session ID: nope");
        String session = openSession("alice");
        Reply r0 = f.c.post("/_matrix/client/r0/register").json(Map.of("username", "alice", "password", "pw-12345",
                "auth", Map.of("type", "m.login.dummy", "session", session))).send();
        assertThat(r0.status()).isEqualTo(403);
        assertThat(r0.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void stages_other_than_the_dummy_one_complete_without_passing_or_are_refused() {
        String session = openSession("carol");
        Reply terms = register(Map.of("auth", Map.of("type", "m.login.terms", "session", session)));
        assertThat(terms.status()).isEqualTo(401);
        assertThat(terms.json().path("completed").toString()).isEqualTo("[\"m.login.terms\"]");
        Reply bogus = register(Map.of("username", "carol", "password", "pw-12345",
                "auth", Map.of("type", "m.login.bogus", "session", session)));
        assertThat(bogus.status()).isEqualTo(400);
        assertThat(bogus.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(bogus.error()).isEqualTo("Invalid login submission");
        Reply wrongPassword = register(Map.of("username", "carol", "password", "pw-12345",
                "auth", Map.of("type", "m.login.password", "session", session, "password", "wrong",
                        "identifier", Map.of("type", "m.id.user", "user", "carol"))));
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(wrongPassword.str("session")).isEqualTo(session);
    }

    @Test
    void requires_a_password_that_is_a_string_of_at_most_512_characters() {
        Reply missing = register(Map.of("username", "dave", "auth", DUMMY));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errcode()).isEqualTo("M_MISSING_PARAM");
        Reply number = register(Map.of("username", "dave", "password", 12345, "auth", DUMMY));
        assertThat(number.errcode()).isEqualTo("M_UNKNOWN");
        assertThat(number.error()).isEqualTo("Invalid password");
        assertThat(register(Map.of("username", "dave", "password", "p".repeat(513), "auth", DUMMY)).error())
                .isEqualTo("Invalid password");
        assertThat(register(Map.of("username", "dave", "password", "pw", "auth", DUMMY, "refresh_token", "yes"))
                .error()).isEqualTo("`refresh_token` should be true or false.");
    }

    @Test
    void refuses_numeric_localparts_which_are_reserved_for_guests() {
        Reply r = register(Map.of("username", "12345", "password", "pw-12345", "auth", DUMMY));
        assertThat(r.errcode()).isEqualTo("M_INVALID_USERNAME");
        assertThat(r.error()).isEqualTo("Numeric user IDs are reserved for guest users.");
        assertThat(f.c.get(V3 + "/register/available").query("username", "12345").send().errcode())
                .isEqualTo("M_INVALID_USERNAME");
    }

    @Test
    void availability_does_not_lower_case_the_name_as_registration_does() {
        assertThat(f.c.get(V3 + "/register/available").query("username", "Carol").send().errcode())
                .isEqualTo("M_INVALID_USERNAME");
        Reply r = register(Map.of("username", "Carol", "password", "pw-12345", "auth", DUMMY));
        assertThat(r.str("user_id")).isEqualTo("@carol:test");
    }

    @Test
    void refuses_email_and_phone_tokens_as_a_synapse_without_them_does() {
        Reply email = f.c.post(V3 + "/register/email/requestToken").json("{nope").send();
        assertThat(email.status()).isEqualTo(400);
        assertThat(email.error()).isEqualTo("Email-based registration has been disabled on this server");
        Reply phone = f.c.post(V3 + "/register/msisdn/requestToken").json(Map.of()).send();
        assertThat(phone.errcode()).isEqualTo("M_MISSING_PARAM");
        Reply phoneFull = f.c.post(V3 + "/register/msisdn/requestToken").json(Map.of("client_secret", "s",
                "country", "GB", "phone_number", "07700900000", "send_attempt", 1)).send();
        assertThat(phoneFull.error()).isEqualTo("Registration by phone number is not supported on this homeserver");
    }
}
