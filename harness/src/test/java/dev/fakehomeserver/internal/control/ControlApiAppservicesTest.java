package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlApiAppservicesTest {
    private static final String YAML = String.join("\n",
            "id: bridge",
            "url: null",
            "as_token: as_token_bridge_0123456789",
            "hs_token: hs_token_bridge_0123456789",
            "sender_localpart: bridgebot",
            "namespaces:",
            "  users:",
            "    - exclusive: true",
            "      regex: '@bridge_.*:test'",
            "");
    private final Homeserver hs = Homeserver.builder().controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
    }

    private TestClient.Reply register(String yaml) {
        return c.post("/_fakehs/v1/appservices").token("t").json(yaml).send();
    }

    private TestClient.Reply registerGhost() {
        return c.post("/_matrix/client/v3/register").token("as_token_bridge_0123456789")
                .json(Map.of("type", "m.login.application_service", "username", "bridge_a")).send();
    }

    @Test
    void registers_a_registration_at_runtime_whose_as_token_then_works() {
        TestClient.Reply r = register(YAML);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("sender_user_id")).isEqualTo("@bridgebot:test");
        assertThat(registerGhost().status()).isEqualTo(200);
        assertThat(c.get("/_fakehs/v1/appservices").token("t").send().json().get("appservices")).hasSize(1);
    }

    @Test
    void deleting_an_appservice_stops_its_as_token_at_once_and_keeps_its_users() {
        register(YAML);
        registerGhost();
        assertThat(c.delete("/_fakehs/v1/appservices/bridge").token("t").send().status()).isEqualTo(200);
        TestClient.Reply after = c.get("/_matrix/client/v3/account/whoami").token("as_token_bridge_0123456789").send();
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(c.get("/_fakehs/v1/users/" + TestClient.enc("@bridge_a:test")).token("t").send().status())
                .isEqualTo(200);
    }

    @Test
    void refuses_a_bad_registration_with_400_naming_the_field_and_line() {
        TestClient.Reply r = register(YAML.replace("exclusive: true", "exclusive: \"true\""));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(r.error()).contains("namespaces.users[0].exclusive").contains("line 8");
    }

    @Test
    void refuses_a_second_registration_with_the_same_id() {
        register(YAML);
        TestClient.Reply r = register(YAML.replace("as_token_bridge", "as_token_other"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("bridge");
    }

    @Test
    void answers_deleting_an_unknown_appservice_with_404() {
        assertThat(c.delete("/_fakehs/v1/appservices/nope").token("t").send().errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void refuses_a_registration_whose_exclusive_namespace_overlaps_a_loaded_one_as_a_namespace_conflict() {
        register(YAML);
        TestClient.Reply r = register(YAML.replace("id: bridge", "id: copycat")
                .replace("as_token_bridge", "as_token_copycat").replace("bridgebot", "copycatbot"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(r.error()).contains("namespace conflict").contains("bridge").contains("copycat");
    }
}
