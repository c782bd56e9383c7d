package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.AS_TYPE;
import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /login} as Synapse 1.94 validates it (recorded in conversations/login): the order of its checks,
 * the legacy fields, third-party and phone identifiers, device ids, refresh tokens and {@code POST /refresh}.
 */
class LoginSubmissionTest {
    @AutoClose
    private final Fixture f = Fixture.start();

    @BeforeEach
    void alice() {
        f.register("alice");
    }

    private Reply login(Map<String, ?> body) {
        return f.c.post(V3 + "/login").json(body).send();
    }

    private static Map<String, Object> password(Map<String, ?> identifier, Object... more) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "m.login.password");
        body.put("identifier", identifier);
        body.put("password", "pw-alice");
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private static Map<String, String> user(String user) {
        return Map.of("type", "m.id.user", "user", user);
    }

    @Test
    void finds_the_user_whatever_the_case_of_its_localpart() {
        Reply r = login(password(user("@ALICE:test")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("user_id")).isEqualTo("@alice:test");
    }

    @Test
    void a_legacy_user_field_wins_over_the_identifier() {
        assertError(login(password(user("alice"), "user", "someone-else")), 403, "M_FORBIDDEN",
                "Invalid username or password");
    }

    @Test
    void checks_the_password_type_before_the_identifier() {
        assertError(login(password(Map.of("type", "m.id.nonsense"), "password", 12345)), 400, "M_INVALID_PARAM",
                "Bad parameter: password");
    }

    @Test
    void refuses_identifiers_with_synapses_errcodes() {
        assertError(login(password(Map.of("user", "alice"))), 400, "M_MISSING_PARAM",
                "'identifier' dict has no key 'type'");
        assertError(login(password(Map.of("type", "m.id.nonsense"))), 400, "M_UNKNOWN",
                "Unknown login identifier type");
        assertError(login(password(Map.of("type", "m.id.user"))), 400, "M_UNKNOWN",
                "User identifier is missing 'user' key");
        assertError(login(password(Map.of())), 400, "M_INVALID_PARAM", "Invalid login submission");
        assertError(login(password(Map.of("type", "m.id.user", "user", 5))), 400, "M_INVALID_PARAM", null);
    }

    @Test
    void an_unbound_third_party_id_or_phone_is_a_wrong_login() {
        assertError(login(password(Map.of("type", "m.id.thirdparty", "medium", "email", "address", "a@example.org"))),
                403, "M_FORBIDDEN", "Invalid username or password");
        assertError(login(password(Map.of("type", "m.id.thirdparty", "medium", "email", "address", "no-at-sign"))),
                400, "M_UNKNOWN", "Unable to parse email address");
        assertError(login(password(Map.of("type", "m.id.thirdparty", "medium", "email"))), 400, "M_UNKNOWN",
                "Invalid thirdparty identifier");
        assertError(login(password(Map.of("type", "m.id.phone", "country", "GB", "number", "07700900123"))),
                403, "M_FORBIDDEN", null);
        // Synapse reads "number" even when "phone" is there: without it, its KeyError.
        assertError(login(password(Map.of("type", "m.id.phone", "country", "GB", "phone", "07700900123"))),
                400, "M_UNKNOWN", "Missing JSON keys.");
        assertError(login(password(Map.of("type", "m.id.phone", "phone", "07700900123"))), 400, "M_INVALID_PARAM",
                "Invalid phone-type identifier");
    }

    @Test
    void an_unknown_login_type_is_refused_after_the_identifier() {
        assertError(login(Map.of("type", "m.login.dummy")), 400, "M_INVALID_PARAM", "Invalid login submission");
        assertError(login(Map.of("type", "m.login.dummy", "identifier", user("alice"))), 400, "M_UNKNOWN",
                "Unknown login type m.login.dummy");
        assertError(login(Map.of("type", 7)), 400, "M_INVALID_PARAM", "Bad parameter: type");
        assertError(login(Map.of("password", "pw-alice")), 400, "M_UNKNOWN", "Missing JSON keys.");
    }

    @Test
    void token_login_without_a_token_is_a_missing_key_and_any_token_is_invalid() {
        assertError(login(Map.of("type", "m.login.token")), 400, "M_UNKNOWN", "Missing JSON keys.");
        assertError(login(Map.of("type", "m.login.token", "token", "syl_x")), 403, "M_FORBIDDEN",
                "Invalid login token");
    }

    @Test
    void refuses_device_ids_that_are_not_strings_or_too_long() {
        assertError(login(password(user("alice"), "device_id", 42)), 400, "M_INVALID_PARAM", null);
        assertError(login(password(user("alice"), "initial_device_display_name", 5)), 400, "M_INVALID_PARAM", null);
        assertError(login(password(user("alice"), "device_id", "D".repeat(513))), 400, "M_INVALID_PARAM",
                "device_id cannot be longer than 512 characters.");
    }

    @Test
    void a_reused_device_id_keeps_the_earlier_token_working() {
        String first = login(password(user("alice"), "device_id", "PHONE")).str("access_token");
        String second = login(password(user("alice"), "device_id", "PHONE")).str("access_token");
        for (String token : new String[] {first, second}) {
            Reply me = f.c.get(V3 + "/account/whoami").token(token).send();
            assertThat(me.status()).as(me.toString()).isEqualTo(200);
            assertThat(me.str("device_id")).isEqualTo("PHONE");
        }
    }

    @Test
    void a_refresh_token_is_exchanged_once() {
        assertError(login(password(user("alice"), "refresh_token", "yes")), 400, "M_UNKNOWN",
                "`refresh_token` should be true or false.");
        Reply r = login(password(user("alice"), "refresh_token", true));
        assertThat(r.json().fieldNames()).toIterable().contains("refresh_token", "expires_in_ms");
        Reply renewed = f.c.post(V3 + "/refresh").json(Map.of("refresh_token", r.str("refresh_token"))).send();
        assertThat(renewed.json().fieldNames()).toIterable()
                .containsExactlyInAnyOrder("access_token", "refresh_token", "expires_in_ms");
        assertThat(f.c.get(V3 + "/account/whoami").token(renewed.str("access_token")).send().status()).isEqualTo(200);
        // The old access token keeps working until it would expire, as in Synapse.
        assertThat(f.c.get(V3 + "/account/whoami").token(r.str("access_token")).send().status()).isEqualTo(200);
        assertError(f.c.post(V3 + "/refresh").json(Map.of("refresh_token", r.str("refresh_token"))).send(), 403,
                "M_FORBIDDEN", "refresh token isn't valid anymore");
        assertError(f.c.post(V3 + "/refresh").json(Map.of("refresh_token", "syr_x")).send(), 401,
                "M_UNKNOWN_TOKEN", "invalid refresh token");
        assertError(f.c.post(V3 + "/refresh").json(Map.of()).send(), 400, "M_MISSING_PARAM", null);
    }

    @Test
    void appservice_login_takes_no_legacy_user_field() {
        f.ghost("weather_bob");
        assertError(f.c.post(V3 + "/login").token(f.as).json(Map.of("type", AS_TYPE, "user", "weather_bob")).send(),
                400, "M_INVALID_PARAM", "Invalid identifier in login submission");
    }

    @Test
    void login_answers_under_api_v1_and_unstable_too() {
        for (String prefix : new String[] {"/_matrix/client/api/v1", "/_matrix/client/unstable"}) {
            Reply r = f.c.get(prefix + "/login").send();
            assertThat(r.status()).as(prefix).isEqualTo(200);
            assertThat(r.json().has("flows")).isTrue();
        }
    }
}
