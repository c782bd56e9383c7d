package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.AS_TYPE;
import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /register} with {@code m.login.application_service}: spec-digest §4.4, synapse-observed §2. */
class AppserviceRegistrationTest {
    private Fixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private Reply register(String token, Map<String, ?> body) {
        var req = f.c.post(V3 + "/register").json(body);
        return token == null ? req.send() : req.token(token).send();
    }


    @Test
    void the_journal_names_the_appservice_of_a_refused_registration_and_its_violation() {
        f = Fixture.start();
        register(f.as, Map.of("type", AS_TYPE, "username", "alice"));
        register(f.as, Map.of("type", AS_TYPE, "username", "weather_ok"));

        var requests = f.hs.journal().requests(r -> r.path().endsWith("/register"));
        assertThat(requests).extracting(dev.fakehomeserver.journal.RecordedRequest::appserviceId)
                .containsExactly("weather", "weather");
        assertThat(requests.get(0).errcode()).isEqualTo("M_EXCLUSIVE");
        assertThat(requests.get(0).userId()).as("not acting as any user yet").isNull();
        assertThat(f.hs.violations()).singleElement().satisfies(v -> assertThat(v.who()).isEqualTo("weather"));
    }

    @Test
    void registers_a_user_in_the_namespace_with_a_token_and_a_device() {
        f = Fixture.start();
        Reply r = register(f.as, Map.of("type", AS_TYPE, "username", "weather_bob"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("user_id")).isEqualTo("@weather_bob:test");
        assertThat(r.str("home_server")).isEqualTo("test");
        assertThat(r.str("access_token")).startsWith("syt_");
        assertThat(r.str("device_id")).isNotBlank();
        Reply me = f.c.get(V3 + "/account/whoami").token(r.str("access_token")).send();
        assertThat(me.str("device_id")).isEqualTo(r.str("device_id"));
    }

    @Test
    void sets_the_displayname_to_the_localpart() {
        f = Fixture.start();
        f.ghost("weather_bob");
        Reply p = f.c.get(V3 + "/profile/" + Fixture.enc("@weather_bob:test")).send();
        assertThat(p.str("displayname")).isEqualTo("weather_bob");
    }

    @Test
    void leaves_out_token_and_device_with_inhibit_login() {
        f = Fixture.start();
        Reply r = register(f.as, Map.of("type", AS_TYPE, "username", "weather_frank", "inhibit_login", true));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().fieldNames()).toIterable().containsExactlyInAnyOrder("user_id", "home_server");
    }

    @Test
    void accepts_the_as_token_as_a_query_parameter() {
        f = Fixture.start();
        Reply r = f.c.post(V3 + "/register").query("access_token", f.as)
                .json(Map.of("type", AS_TYPE, "username", "weather_q")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void answers_under_r0_as_under_v3() {
        f = Fixture.start();
        Reply r = f.c.post("/_matrix/client/r0/register").token(f.as)
                .json(Map.of("type", AS_TYPE, "username", "weather_r0")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void refuses_a_second_registration_of_the_same_user_with_M_USER_IN_USE() {
        f = Fixture.start();
        f.ghost("weather_bob");
        assertError(register(f.as, Map.of("type", AS_TYPE, "username", "weather_bob")), 400, "M_USER_IN_USE",
                "User ID already taken.");
    }

    @Test
    void refuses_a_user_outside_the_namespace_with_M_EXCLUSIVE() {
        f = Fixture.start();
        assertError(register(f.as, Map.of("type", AS_TYPE, "username", "alice")), 400, "M_EXCLUSIVE",
                "Invalid user localpart for this application service.");
    }

    @Test
    void refuses_upper_case_because_the_regex_is_case_sensitive_and_nothing_is_lower_cased() {
        f = Fixture.start();
        assertError(register(f.as, Map.of("type", AS_TYPE, "username", "Weather_Upper")), 400, "M_EXCLUSIVE",
                "Invalid user localpart for this application service.");
    }

    @Test
    void refuses_a_full_user_id_as_username_with_M_EXCLUSIVE() {
        f = Fixture.start();
        assertError(register(f.as, Map.of("type", AS_TYPE, "username", "@weather_erin:test")), 400, "M_EXCLUSIVE",
                "Invalid user localpart for this application service.");
    }

    @Test
    void registers_the_sender_localpart_even_twice() {
        f = Fixture.start();
        for (int i = 0; i < 2; i++) {
            Reply r = register(f.as, Map.of("type", AS_TYPE, "username", "weatherbot"));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.str("user_id")).isEqualTo("@weatherbot:test");
            assertThat(r.str("access_token")).isNotBlank();
        }
    }

    @Test
    void refuses_a_missing_username_with_M_UNKNOWN() {
        f = Fixture.start();
        assertError(register(f.as, Map.of("type", AS_TYPE)), 400, "M_UNKNOWN",
                "Desired Username is missing or not a string");
    }

    @Test
    void refuses_a_username_that_is_not_a_string_with_M_UNKNOWN() {
        f = Fixture.start();
        assertError(register(f.as, Map.of("type", AS_TYPE, "username", 42)), 400, "M_UNKNOWN", "Invalid username");
    }

    @Test
    void refuses_the_appservice_type_without_a_token_with_400_M_UNKNOWN() {
        f = Fixture.start();
        assertError(register(null, Map.of("type", AS_TYPE, "username", "weather_carol")), 400, "M_UNKNOWN",
                "Appservice token must be provided when using a type of m.login.application_service");
    }

    @Test
    void refuses_a_wrong_token_with_401_M_UNKNOWN_TOKEN() {
        f = Fixture.start();
        Reply r = register("wrongtoken123", Map.of("type", AS_TYPE, "username", "weather_carol"));
        assertError(r, 401, "M_UNKNOWN_TOKEN", "Unrecognised access token");
        assertThat(r.json().get("soft_logout").asBoolean(true)).isFalse();
    }

    @Test
    void refuses_a_user_token_with_401_M_UNKNOWN_TOKEN() {
        f = Fixture.start();
        String alice = f.register("alice");
        assertError(register(alice, Map.of("type", AS_TYPE, "username", "weather_x")), 401, "M_UNKNOWN_TOKEN", null);
    }

    @Test
    void refuses_a_token_without_the_appservice_type_with_400_M_UNKNOWN() {
        f = Fixture.start();
        assertError(register(f.as, Map.of("username", "weather_dave")), 400, "M_UNKNOWN",
                "An access token should not be provided on requests to /register "
                        + "(except if type is m.login.application_service)");
    }

    @Test
    void refuses_a_user_exclusive_to_another_appservice_with_M_EXCLUSIVE() {
        Registration other = Registration.builder("other").senderLocalpart("otherbot")
                .users("@weather_.*:test", false).build();
        f = Fixture.start(Fixture.weatherRegistration(),
                b -> b.registration(other).requireExclusiveUserNamespace(false).checkNamespaceConflicts(false));
        assertError(register(other.asToken(), Map.of("type", AS_TYPE, "username", "weather_x")), 400, "M_EXCLUSIVE",
                "This user ID is reserved by an application service.");
    }

    @Test
    void under_msc4190_refuses_registration_without_inhibit_login_after_creating_the_user() {
        Registration msc = Fixture.weatherRegistration().toBuilder().msc4190(true).build();
        f = Fixture.start(msc, b -> b);
        assertError(register(f.as, Map.of("type", AS_TYPE, "username", "weather_m")), 400,
                "IO.ELEMENT.MSC4190.M_APPSERVICE_LOGIN_UNSUPPORTED", null);
        // Synapse registers the user before it refuses, so a retry is already "taken".
        assertError(register(f.as, Map.of("type", AS_TYPE, "username", "weather_m", "inhibit_login", true)), 400,
                "M_USER_IN_USE", null);
    }

    @Test
    void under_msc4190_registers_with_inhibit_login() {
        Registration msc = Fixture.weatherRegistration().toBuilder().msc4190(true).build();
        f = Fixture.start(msc, b -> b);
        Reply r = register(f.as, Map.of("type", AS_TYPE, "username", "weather_m", "inhibit_login", true));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().has("access_token")).isFalse();
    }

    @Test
    void refuses_a_non_exclusive_users_namespace_by_the_platform_rule() {
        Registration loose = Registration.builder("loose").senderLocalpart("loosebot")
                .users("@loose_.*:test", false).build();
        f = Fixture.start(loose, b -> b);
        Reply r = register(loose.asToken(), Map.of("type", AS_TYPE, "username", "loose_a"));
        assertError(r, 400, "M_EXCLUSIVE", null);
        assertThat(r.error()).contains("exclusive");
    }

    @Test
    void registers_in_a_non_exclusive_users_namespace_when_the_platform_rule_is_off() {
        Registration loose = Registration.builder("loose").senderLocalpart("loosebot")
                .users("@loose_.*:test", false).build();
        f = Fixture.start(loose, b -> b.requireExclusiveUserNamespace(false));
        Reply r = register(loose.asToken(), Map.of("type", AS_TYPE, "username", "loose_a"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
}
