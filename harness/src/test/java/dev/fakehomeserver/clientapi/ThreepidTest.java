package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /account/3pid/...} as Synapse 1.94 answers without email, SMS or a reachable identity server
 * (recorded in conversations/account): nothing is ever validated or bound.
 */
class ThreepidTest {
    private static final String T = V3 + "/account/3pid";

    @AutoClose
    private final Fixture f = Fixture.start();
    private String alice;

    @BeforeEach
    void alice() {
        alice = f.register("alice");
    }

    @Test
    void lists_no_third_party_ids() {
        Reply r = f.c.get(T).token(alice).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("threepids").isArray()).isTrue();
        assertThat(r.json().get("threepids").size()).isZero();
        assertError(f.c.get(T).send(), 401, "M_MISSING_TOKEN", null);
    }

    @Test
    void adding_asks_for_the_password_then_finds_no_validated_session() {
        Map<String, Object> body = Map.of("client_secret", "secret", "sid", "1");
        assertError(f.c.post(T + "/add").token(alice).json(Map.of("client_secret", "secret")).send(), 400,
                "M_MISSING_PARAM", null);
        Reply challenge = f.c.post(T + "/add").token(alice).json(body).send();
        assertThat(challenge.status()).isEqualTo(401);
        Reply r = f.c.post(T + "/add").token(alice).json(Map.of("client_secret", "secret", "sid", "1",
                "auth", Map.of("type", "m.login.password", "session", challenge.str("session"),
                        "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "pw-alice"))).send();
        assertError(r, 400, "M_THREEPID_AUTH_FAILED", "No validated 3pid session found");
    }

    @Test
    void the_deprecated_post_checks_its_credentials_by_hand() {
        assertError(f.c.post(T).token(alice).json(Map.of()).send(), 400, "M_MISSING_PARAM",
                "Missing param three_pid_creds");
        assertError(f.c.post(T).token(alice).json(Map.of("three_pid_creds", Map.of("client_secret", "s"))).send(),
                400, "M_MISSING_PARAM", "Missing params: ['sid']");
        assertError(f.c.post(T).token(alice).json(Map.of("threePidCreds", Map.of("client_secret", "bad secret!",
                "sid", "1"))).send(), 400, "M_INVALID_PARAM", "Invalid client_secret parameter");
        assertError(f.c.post(T).token(alice).json(Map.of("threePidCreds", Map.of("client_secret", "s",
                "sid", "1"))).send(), 400, "M_THREEPID_AUTH_FAILED", null);
    }

    @Test
    void binding_checks_the_body_before_the_token_and_binds_nothing() {
        Map<String, Object> body = Map.of("client_secret", "s", "sid", "1", "id_server", "id.example.org",
                "id_access_token", "t");
        assertError(f.c.post(T + "/bind").json(Map.of()).send(), 400, "M_BAD_JSON", null);
        assertError(f.c.post(T + "/bind").json(body).send(), 401, "M_MISSING_TOKEN", null);
        assertError(f.c.post(T + "/bind").token(alice).json(body).send(), 400, "M_SERVER_NOT_TRUSTED", null);
    }

    @Test
    void unbinding_and_deleting_find_nothing() {
        for (String op : new String[] {"/unbind", "/delete"}) {
            Reply r = f.c.post(T + op).token(alice).json(Map.of("medium", "email", "address", "a@example.org")).send();
            assertThat(r.status()).as(op).isEqualTo(200);
            assertThat(r.str("id_server_unbind_result")).isEqualTo("no-support");
            assertError(f.c.post(T + op).token(alice).json(Map.of("medium", "pigeon", "address", "a")).send(), 400,
                    "M_INVALID_PARAM", null);
        }
        // unbind reads the token first, delete the body first
        assertError(f.c.post(T + "/unbind").json(Map.of()).send(), 401, "M_MISSING_TOKEN", null);
        assertError(f.c.post(T + "/delete").json(Map.of()).send(), 400, "M_BAD_JSON", null);
    }

    @Test
    void requesting_a_token_is_refused_as_without_email_or_sms() {
        assertError(f.c.post(T + "/email/requestToken").json(Map.of()).send(), 400, "M_UNKNOWN",
                "Adding an email to your account is disabled on this server");
        assertError(f.c.post(V3 + "/account/password/email/requestToken").json(Map.of()).send(), 400, "M_UNKNOWN",
                "Email-based password resets have been disabled on this server");
        Map<String, Object> msisdn = Map.of("client_secret", "s", "country", "GB", "phone_number", "07700900123",
                "send_attempt", 1);
        assertError(f.c.post(T + "/msisdn/requestToken").json(msisdn).send(), 400, "M_UNKNOWN",
                "Adding phone numbers to user account is not supported by this homeserver");
        assertError(f.c.post(T + "/msisdn/requestToken").json(Map.of("client_secret", "s", "country", "GB",
                "phone_number", "abc", "send_attempt", 1)).send(), 400, "M_UNKNOWN", "Unable to parse phone number");
        assertError(f.c.post(T + "/msisdn/requestToken").json(Map.of("client_secret", "s")).send(), 400,
                "M_BAD_JSON", null);
    }
}
