package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET scene} and {@code POST scene} over real HTTP: a scene set up through the control API, exported,
 * loaded into a fresh server, reads the same through the control API there (rooms, timelines, state, users).
 */
class ControlApiSceneTest {
    private final Homeserver hs = Homeserver.builder().controlApi("t").start();
    private final Homeserver fresh = Homeserver.builder().controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());
    private final TestClient f = new TestClient(fresh.url());

    @AfterEach
    void stop() {
        hs.close();
        fresh.close();
    }

    @Test
    void a_scene_exported_over_http_and_posted_to_a_fresh_server_reads_the_same() {
        c.post("/_fakehs/v1/users").token("t").json(Map.of("localpart", "alice", "displayname", "Alice")).send();
        String room = c.post("/_fakehs/v1/rooms").token("t").json(Map.of("creator", "@alice:test", "name", "Lobby",
                "alias", "lobby", "preset", "public_chat", "members", List.of("@bob:elsewhere"))).send().str("room_id");
        c.post("/_fakehs/v1/rooms/" + TestClient.enc(room) + "/events").token("t").json(Map.of("sender", "@bob:elsewhere",
                "type", "m.room.message", "content", Map.of("msgtype", "m.text", "body", "hi"))).send();

        TestClient.Reply scene = c.get("/_fakehs/v1/scene").token("t").send();
        assertThat(scene.status()).isEqualTo(200);
        assertThat(scene.text()).startsWith("# A fake-homeserver scene").contains("server_name: test", room);

        TestClient.Reply loaded = f.post("/_fakehs/v1/scene").token("t").header("Content-Type", "application/yaml")
                .json(scene.text()).send();
        assertThat(loaded.status()).as(loaded.text()).isEqualTo(200);
        assertThat(loaded.json().get("rooms_added").asInt()).isEqualTo(1);

        String roomPath = "/_fakehs/v1/rooms/" + TestClient.enc(room);
        assertThat(f.get(roomPath).token("t").send().json()).isEqualTo(c.get(roomPath).token("t").send().json());
        for (String path : List.of("/_fakehs/v1/users/%40alice%3Atest", "/_fakehs/v1/users/%40bob%3Aelsewhere")) {
            // Devices (and their tokens) are not part of a scene.
            ObjectNode copy = (ObjectNode) f.get(path).token("t").send().json();
            ObjectNode original = (ObjectNode) c.get(path).token("t").send().json();
            copy.remove("devices");
            original.remove("devices");
            assertThat(copy).as(path).isEqualTo(original);
        }
        for (String events : List.of("/timeline", "/state")) {
            String path = "/_fakehs/v1/rooms/" + TestClient.enc(room) + events;
            assertThat(withoutAge(f.get(path).token("t").send().json())).as(path)
                    .isEqualTo(withoutAge(c.get(path).token("t").send().json()));
        }
    }

    @Test
    void a_bad_scene_is_a_400_naming_the_line_and_a_second_load_of_the_same_rooms_is_refused() {
        TestClient.Reply bad = f.post("/_fakehs/v1/scene").token("t")
                .json("rooms:\n  - creator: \"@alice:test\"\n    colour: red\n").send();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(bad.error()).contains("line 3", "rooms[0].colour", "unknown field");

        c.post("/_fakehs/v1/rooms").token("t").json(Map.of("creator", "@alice:test")).send();
        String scene = c.get("/_fakehs/v1/scene").token("t").send().text();
        assertThat(f.post("/_fakehs/v1/scene").token("t").json(scene).send().status()).isEqualTo(200);
        TestClient.Reply again = f.post("/_fakehs/v1/scene").token("t").json(scene).send();
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).contains("already exists");
        // After a reset the same scene loads again.
        f.post("/_fakehs/v1/reset").token("t").send();
        assertThat(f.post("/_fakehs/v1/scene").token("t").json(scene).send().status()).isEqualTo(200);
    }

    @Test
    void both_need_the_token() {
        assertThat(c.get("/_fakehs/v1/scene").send().status()).isEqualTo(401);
        assertThat(c.post("/_fakehs/v1/scene").json("users: []").send().status()).isEqualTo(401);
    }

    /** Events in the client format carry their age at reading time: everything else must be the same. */
    private static JsonNode withoutAge(JsonNode timeline) {
        JsonNode copy = timeline.deepCopy();
        copy.get("events").forEach(e -> ((ObjectNode) e.get("unsigned")).remove("age"));
        return copy;
    }
}
