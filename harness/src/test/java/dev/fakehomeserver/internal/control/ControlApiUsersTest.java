package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlApiUsersTest {
    private final Homeserver hs = Homeserver.builder().controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
    }

    @Test
    void creates_a_local_user_whose_access_token_works_on_the_client_api() {
        TestClient.Reply r = c.post("/_fakehs/v1/users").token("t")
                .json(Map.of("localpart", "alice", "displayname", "Alice")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("user_id")).isEqualTo("@alice:test");
        TestClient.Reply whoami = c.get("/_matrix/client/v3/account/whoami").token(r.str("access_token")).send();
        assertThat(whoami.str("user_id")).isEqualTo("@alice:test");
        JsonNode user = c.get("/_fakehs/v1/users/" + TestClient.enc("@alice:test")).token("t").send().json();
        assertThat(user.get("displayname").asText()).isEqualTo("Alice");
    }

    @Test
    void creates_a_remote_user_without_an_access_token() {
        TestClient.Reply r = c.post("/_fakehs/v1/users").token("t").json(Map.of("user_id", "@zoe:elsewhere")).send();
        assertThat(r.json().get("remote").asBoolean()).isTrue();
        assertThat(r.json().has("access_token")).isFalse();
        assertThat(c.get("/_fakehs/v1/users").token("t").send().json().get("users")).hasSize(1);
    }

    @Test
    void answers_an_unknown_user_with_404_M_NOT_FOUND() {
        TestClient.Reply r = c.get("/_fakehs/v1/users/" + TestClient.enc("@ghost:test")).token("t").send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }
}
