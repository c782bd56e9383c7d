package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.AS_TYPE;
import static dev.fakehomeserver.testing.Fixture.V3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Password and appservice login (spec-digest §4.5, synapse-observed §6), logout. */
class LoginLogoutTest {
    @AutoClose
    private final Fixture f = Fixture.start();

    private static Map<String, Object> asLogin(String user) {
        return Map.of("type", AS_TYPE, "identifier", Map.of("type", "m.id.user", "user", user));
    }

    private Reply passwordLogin(String user, String password) {
        return f.c.post(V3 + "/login").json(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", password)).send();
    }

    @Test
    void lists_password_and_appservice_login_flows() {
        Reply r = f.c.get(V3 + "/login").send();
        assertThat(r.json().get("flows").findValuesAsText("type"))
                .contains("m.login.password", AS_TYPE);
    }

    @Test
    void logs_in_with_the_right_password_and_a_new_device() {
        f.register("alice");
        Reply r = passwordLogin("alice", "pw-alice");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().fieldNames()).toIterable()
                .containsExactlyInAnyOrder("user_id", "access_token", "device_id", "home_server", "well_known");
        assertThat(r.json().at("/well_known/m.homeserver/base_url").asText()).startsWith("http://");
    }

    @Test
    void refuses_a_wrong_password_with_403_M_FORBIDDEN() {
        f.register("alice");
        Reply r = passwordLogin("alice", "nope");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void logs_an_appservice_user_in_by_localpart_or_user_id() {
        f.ghost("weather_bob");
        for (String user : new String[] {"weather_bob", "@weather_bob:test"}) {
            Reply r = f.c.post(V3 + "/login").token(f.as).json(asLogin(user)).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.str("user_id")).isEqualTo("@weather_bob:test");
            Reply me = f.c.get(V3 + "/account/whoami").token(r.str("access_token")).send();
            assertThat(me.str("device_id")).isEqualTo(r.str("device_id"));
        }
    }

    @Test
    void logs_the_sender_in_without_registering_it() {
        Reply r = f.c.post(V3 + "/login").token(f.as).json(asLogin("weatherbot")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("user_id")).isEqualTo("@weatherbot:test");
    }

    @Test
    void refuses_a_user_outside_the_namespace_with_403_Invalid_access_token() {
        f.register("alice");
        Reply r = f.c.post(V3 + "/login").token(f.as).json(asLogin("alice")).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(r.error()).isEqualTo("Invalid access_token");
    }

    @Test
    void refuses_appservice_login_without_a_token_with_401_M_MISSING_TOKEN() {
        Reply r = f.c.post(V3 + "/login").json(asLogin("weather_bob")).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void refuses_appservice_login_with_a_user_token_with_401_M_UNKNOWN_TOKEN() {
        String alice = f.register("alice");
        Reply r = f.c.post(V3 + "/login").token(alice).json(asLogin("weather_bob")).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(r.error()).isEqualTo("This login method is only valid for application services");
    }

    @Test
    void refuses_an_identifier_of_another_type_with_M_INVALID_PARAM() {
        Reply r = f.c.post(V3 + "/login").token(f.as).json(Map.of("type", AS_TYPE,
                "identifier", Map.of("type", "m.id.thirdparty", "medium", "email"))).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void under_msc4190_refuses_appservice_login() {
        Registration msc = Fixture.weatherRegistration().toBuilder().msc4190(true).build();
        try (Fixture under4190 = Fixture.start(msc, b -> b)) {
            Reply r = under4190.c.post(V3 + "/login").token(under4190.as).json(asLogin("weather_bob")).send();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errcode()).isEqualTo("IO.ELEMENT.MSC4190.M_APPSERVICE_LOGIN_UNSUPPORTED");
        }
    }

    @Test
    void logout_ends_only_that_token() {
        String first = f.register("bob");
        String second = passwordLogin("bob", "pw-bob").str("access_token");
        assertThat(f.c.post(V3 + "/logout").token(first).json(Map.of()).send().status()).isEqualTo(200);
        Reply after = f.c.get(V3 + "/account/whoami").token(first).send();
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(after.json().get("soft_logout").asBoolean(true)).isFalse();
        assertThat(f.c.get(V3 + "/account/whoami").token(second).send().status()).isEqualTo(200);
    }

    @Test
    void logout_all_ends_every_token_of_the_user() {
        String first = f.register("bob");
        String second = passwordLogin("bob", "pw-bob").str("access_token");
        assertThat(f.c.post(V3 + "/logout/all").token(first).json(Map.of()).send().status()).isEqualTo(200);
        assertThat(f.c.get(V3 + "/account/whoami").token(second).send().errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    }
}
