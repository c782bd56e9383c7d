package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.AS_TYPE;
import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens and identity assertion, seen through whoami (spec-digest §4.1–4.3, synapse-observed §3). */
class IdentityAssertionTest {
    private static final String WHOAMI = V3 + "/account/whoami";
    @AutoClose
    private final Fixture f = Fixture.start();

    @BeforeEach
    void start() {
    }

    @Test
    void acts_as_the_sender_without_a_device_when_no_user_id_is_given() {
        Reply r = f.c.get(WHOAMI).token(f.as).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("user_id")).isEqualTo("@weatherbot:test");
        assertThat(r.json().get("is_guest").asBoolean(true)).isFalse();
        assertThat(r.json().has("device_id")).isFalse();
    }

    @Test
    void acts_as_a_registered_user_of_the_namespace() {
        f.ghost("weather_bob");
        Reply r = f.c.get(WHOAMI).token(f.as).asUser("@weather_bob:test").send();
        assertThat(r.str("user_id")).isEqualTo("@weather_bob:test");
        assertThat(r.json().has("device_id")).isFalse();
    }

    @Test
    void acts_as_the_sender_when_named_explicitly() {
        Reply r = f.c.get(WHOAMI).token(f.as).asUser("@weatherbot:test").send();
        assertThat(r.str("user_id")).isEqualTo("@weatherbot:test");
    }

    @Test
    void refuses_a_user_outside_the_namespace_with_Synapses_message() {
        f.register("alice");
        assertError(f.c.get(WHOAMI).token(f.as).asUser("@alice:test").send(), 403, "M_FORBIDDEN",
                "Application service cannot masquerade as this user (@alice:test).");
    }

    @Test
    void refuses_an_unregistered_user_of_the_namespace_with_Synapses_message() {
        assertError(f.c.get(WHOAMI).token(f.as).asUser("@weather_nobody:test").send(), 403, "M_FORBIDDEN",
                "Application service has not registered this user (@weather_nobody:test)");
    }

    @Test
    void refuses_a_remote_user_outside_the_regex_server_part() {
        assertError(f.c.get(WHOAMI).token(f.as).asUser("@weather_r:elsewhere").send(), 403, "M_FORBIDDEN",
                "Application service cannot masquerade as this user (@weather_r:elsewhere).");
    }

    @Test
    void refuses_a_remote_user_that_a_serverless_regex_matches_as_not_registered() {
        dev.fakehomeserver.Registration loose = dev.fakehomeserver.Registration.builder("loose")
                .senderLocalpart("loosebot").users("@loose_.*", true).build();
        try (Fixture l = Fixture.start(loose, b -> b)) {
            assertError(l.c.get(WHOAMI).token(loose.asToken()).asUser("@loose_r:elsewhere").send(), 403,
                    "M_FORBIDDEN", "Application service has not registered this user (@loose_r:elsewhere)");
        }
    }

    @Test
    void accepts_the_token_as_a_query_parameter() {
        f.ghost("weather_bob");
        Reply r = f.c.get(WHOAMI).query("access_token", f.as).asUser("@weather_bob:test").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("user_id")).isEqualTo("@weather_bob:test");
    }

    @Test
    void refuses_a_header_and_a_query_token_together_with_M_MISSING_TOKEN() {
        assertError(f.c.get(WHOAMI).token(f.as).query("access_token", f.as).send(), 401, "M_MISSING_TOKEN",
                "Mixing Authorization headers and access_token query parameters.");
    }

    @Test
    void refuses_a_missing_token_with_M_MISSING_TOKEN() {
        assertError(f.c.get(WHOAMI).send(), 401, "M_MISSING_TOKEN", "Missing access token");
    }

    @Test
    void refuses_an_unknown_token_with_M_UNKNOWN_TOKEN_and_soft_logout_false() {
        Reply r = f.c.get(WHOAMI).token("not-a-real-token").send();
        assertError(r, 401, "M_UNKNOWN_TOKEN", "Invalid access token passed.");
        assertThat(r.json().get("soft_logout").isBoolean()).isTrue();
        assertThat(r.json().get("soft_logout").asBoolean()).isFalse();
    }

    @Test
    void refuses_a_malformed_authorization_header_with_M_MISSING_TOKEN() {
        for (String header : new String[] {"Basic " + f.as, "bearer " + f.as, "Bearer", "Bearer a b"}) {
            assertError(f.c.get(WHOAMI).header("Authorization", header).send(), 401, "M_MISSING_TOKEN",
                    "Invalid Authorization header.");
        }
    }

    @Test
    void refuses_two_authorization_headers_with_M_MISSING_TOKEN() {
        Reply r = f.c.get(WHOAMI).token(f.as).token(f.as).send();
        assertError(r, 401, "M_MISSING_TOKEN", null);
    }

    @Test
    void ignores_user_id_and_device_id_for_a_user_token() {
        String alice = f.register("alice");
        f.register("bob");
        Reply plain = f.c.get(WHOAMI).token(alice).send();
        Reply r = f.c.get(WHOAMI).token(alice).asUser("@bob:test").query("device_id", "NOPE").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("user_id")).isEqualTo("@alice:test");
        assertThat(r.str("device_id")).isEqualTo(plain.str("device_id"));
    }

    @Test
    void echoes_an_asserted_device_of_the_user() {
        Reply reg = f.c.post(V3 + "/register").token(f.as)
                .json(Map.of("type", AS_TYPE, "username", "weather_bob", "device_id", "GHOSTDEV")).send();
        assertThat(reg.str("device_id")).isEqualTo("GHOSTDEV");
        Reply r = f.c.get(WHOAMI).token(f.as).asUser("@weather_bob:test").query("device_id", "GHOSTDEV").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("device_id")).isEqualTo("GHOSTDEV");
    }

    @Test
    void accepts_the_unstable_msc3202_device_parameter_and_prefers_the_stable_one() {
        f.c.post(V3 + "/register").token(f.as)
                .json(Map.of("type", AS_TYPE, "username", "weather_bob", "device_id", "GHOSTDEV")).send();
        Reply unstable = f.c.get(WHOAMI).token(f.as).asUser("@weather_bob:test")
                .query("org.matrix.msc3202.device_id", "GHOSTDEV").send();
        assertThat(unstable.str("device_id")).isEqualTo("GHOSTDEV");
        Reply both = f.c.get(WHOAMI).token(f.as).asUser("@weather_bob:test")
                .query("device_id", "GHOSTDEV").query("org.matrix.msc3202.device_id", "OTHER").send();
        assertThat(both.str("device_id")).isEqualTo("GHOSTDEV");
    }

    @Test
    void refuses_an_unknown_device_with_the_unstable_msc4326_errcode() {
        f.ghost("weather_bob");
        Reply r = f.c.get(WHOAMI).token(f.as).asUser("@weather_bob:test").query("device_id", "NOPE").send();
        assertError(r, 400, "ORG.MATRIX.MSC4326.M_UNKNOWN_DEVICE", null);
        assertThat(r.error()).contains("NOPE");
    }

    @Test
    void refuses_a_device_of_another_user() {
        f.c.post(V3 + "/register").token(f.as)
                .json(Map.of("type", AS_TYPE, "username", "weather_bob", "device_id", "BOBDEV")).send();
        f.ghost("weather_eve");
        Reply r = f.c.get(WHOAMI).token(f.as).asUser("@weather_eve:test").query("device_id", "BOBDEV").send();
        assertError(r, 400, "ORG.MATRIX.MSC4326.M_UNKNOWN_DEVICE", null);
    }

    @Test
    void answers_under_r0_as_under_v3() {
        Reply r = f.c.get("/_matrix/client/r0/account/whoami").token(f.as).send();
        assertThat(r.str("user_id")).isEqualTo("@weatherbot:test");
    }
}
