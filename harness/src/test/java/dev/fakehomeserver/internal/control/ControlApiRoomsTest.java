package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlApiRoomsTest {
    private final Homeserver hs = Homeserver.builder().controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
    }

    private TestClient.Reply post(String path, Object body) {
        return c.post("/_fakehs/v1" + path).token("t").json(body).send();
    }

    private TestClient.Reply get(String path) {
        return c.get("/_fakehs/v1" + path).token("t").send();
    }

    @Test
    void creates_a_private_room_as_a_user_with_members_invited_and_joined() {
        TestClient.Reply r = post("/rooms", Map.of("creator", "@alice:test", "name", "Lobby", "preset", "private_chat",
                "alias", "lobby", "members", List.of("@bob:test", "@carol:elsewhere")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String roomId = r.str("room_id");
        JsonNode room = get("/rooms/" + TestClient.enc(roomId)).json();
        assertThat(room.get("name").asText()).isEqualTo("Lobby");
        assertThat(room.get("canonical_alias").asText()).isEqualTo("#lobby:test");
        assertThat(room.get("members").get("@bob:test").asText()).isEqualTo("join");
        assertThat(room.get("members").get("@carol:elsewhere").asText()).isEqualTo("join");
        assertThat(get("/rooms").json().get("rooms")).hasSize(1);
    }

    @Test
    void injects_a_message_as_a_member_and_shows_it_last_in_the_timeline() {
        String roomId = post("/rooms", Map.of("creator", "@alice:test")).str("room_id");
        TestClient.Reply sent = post("/rooms/" + TestClient.enc(roomId) + "/events", Map.of("sender", "@alice:test",
                "type", "m.room.message", "content", Map.of("msgtype", "m.text", "body", "hello")));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        JsonNode events = get("/rooms/" + TestClient.enc(roomId) + "/timeline?limit=1").json().get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event_id").asText()).isEqualTo(sent.str("event_id"));
        assertThat(events.get(0).at("/content/body").asText()).isEqualTo("hello");
    }

    @Test
    void injects_a_state_event_that_the_state_then_shows() {
        String roomId = post("/rooms", Map.of("creator", "@alice:test")).str("room_id");
        post("/rooms/" + TestClient.enc(roomId) + "/events", Map.of("sender", "@alice:test", "type", "m.room.topic",
                "state_key", "", "content", Map.of("topic", "weather")));
        List<String> topics = new ArrayList<>();
        get("/rooms/" + TestClient.enc(roomId) + "/state").json().get("events").forEach(e -> {
            if (e.get("type").asText().equals("m.room.topic")) {
                topics.add(e.at("/content/topic").asText());
            }
        });
        assertThat(topics).containsExactly("weather");
    }

    @Test
    void refuses_an_injected_message_from_a_non_member_with_the_auth_rules_403() {
        String roomId = post("/rooms", Map.of("creator", "@alice:test")).str("room_id");
        TestClient.Reply r = post("/rooms/" + TestClient.enc(roomId) + "/events", Map.of("sender", "@mallory:test",
                "type", "m.room.message", "content", Map.of("body", "hi")));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void answers_an_unknown_room_with_404_M_NOT_FOUND() {
        TestClient.Reply r = get("/rooms/" + TestClient.enc("!nope:test") + "/timeline");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void answers_bad_input_with_a_matrix_error_not_a_500() {
        assertThat(c.post("/_fakehs/v1/rooms").token("t").json("{nope").send().errcode()).isEqualTo("M_NOT_JSON");
        assertThat(post("/rooms", Map.of("name", "no creator")).errcode()).isEqualTo("M_MISSING_PARAM");
        assertThat(post("/rooms", Map.of("creator", "alice")).errcode()).isEqualTo("M_INVALID_PARAM");
        String roomId = post("/rooms", Map.of("creator", "@alice:test")).str("room_id");
        assertThat(post("/rooms/" + TestClient.enc(roomId) + "/events",
                Map.of("sender", "@alice:test", "type", "m.room.message", "content", "text")).errcode())
                .isEqualTo("M_BAD_JSON");
    }
}
