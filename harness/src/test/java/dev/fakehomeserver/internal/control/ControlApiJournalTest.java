package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlApiJournalTest {
    private final Homeserver hs = Homeserver.builder().controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
    }

    @Test
    void shows_the_client_server_requests_but_not_its_own() {
        c.get("/_matrix/client/v3/account/whoami").send();
        JsonNode requests = c.get("/_fakehs/v1/journal").token("t").send().json().get("requests");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).get("path").asText()).isEqualTo("/_matrix/client/v3/account/whoami");
        assertThat(requests.get(0).get("status").asInt()).isEqualTo(401);
        assertThat(requests.get(0).get("errcode").asText()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void answers_only_newer_requests_after_since() {
        c.get("/_matrix/client/versions").send();
        c.get("/_matrix/client/versions").send();
        JsonNode requests = c.get("/_fakehs/v1/journal?since=1").token("t").send().json().get("requests");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).get("seq").asLong()).isEqualTo(2);
    }

    @Test
    void reset_forgets_users_rooms_and_the_journal() {
        c.post("/_fakehs/v1/rooms").token("t").json(Map.of("creator", "@alice:test")).send();
        c.get("/_matrix/client/versions").send();
        assertThat(c.post("/_fakehs/v1/reset").token("t").send().status()).isEqualTo(200);
        assertThat(c.get("/_fakehs/v1/rooms").token("t").send().json().get("rooms")).isEmpty();
        assertThat(c.get("/_fakehs/v1/users").token("t").send().json().get("users")).isEmpty();
        assertThat(c.get("/_fakehs/v1/journal").token("t").send().json().get("requests")).isEmpty();
    }
}
