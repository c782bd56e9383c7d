package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.bodies;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessagesPaginationTest {
    @AutoClose
    private final Fixture fx = Fixture.start();
    private String alice;
    private String roomId;

    @BeforeEach
    void setUp() {
        alice = fx.register("alice");
        roomId = fx.createPublicRoom(alice);
        for (int i = 1; i <= 5; i++) {
            fx.send(alice, roomId, "m" + i);
        }
    }

    private TestClient.Request messages(String token) {
        return fx.c.get(rooms(roomId) + "/messages").token(token);
    }

    @Test
    void pages_backwards_from_the_newest_event_with_chunk_start_and_end() {
        var r = messages(alice).query("dir", "b").query("limit", "3").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(bodies(r.json().get("chunk"))).containsExactly("m5", "m4", "m3");
        assertThat(r.json().has("start")).isTrue();
        var next = messages(alice).query("dir", "b").query("limit", "2").query("from", r.str("end")).send();
        assertThat(bodies(next.json().get("chunk"))).containsExactly("m2", "m1");
    }

    @Test
    void walks_the_whole_timeline_backwards_and_omits_end_at_the_beginning() {
        List<JsonNode> all = new ArrayList<>();
        String from = null;
        for (int pages = 0; pages < 20; pages++) {
            var req = messages(alice).query("dir", "b").query("limit", "4");
            var r = (from == null ? req : req.query("from", from)).send();
            r.json().get("chunk").forEach(all::add);
            from = r.str("end");
            if (from == null) {
                break;
            }
        }
        assertThat(from).isNull();
        assertThat(all.get(all.size() - 1).path("type").asText()).isEqualTo("m.room.create");
        assertThat(bodies(toArray(all)))
                .containsExactly("m5", "m4", "m3", "m2", "m1");
    }

    private static JsonNode toArray(List<JsonNode> events) {
        var arr = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        events.forEach(arr::add);
        return arr;
    }

    @Test
    void pages_forwards_from_a_backwards_token_in_append_order() {
        var back = messages(alice).query("dir", "b").query("limit", "3").send();
        var fwd = messages(alice).query("dir", "f").query("from", back.str("end")).query("limit", "10").send();
        assertThat(bodies(fwd.json().get("chunk"))).containsExactly("m3", "m4", "m5");
        assertThat(fwd.json().has("end")).isFalse();
    }

    @Test
    void forwards_without_from_starts_at_the_create_event() {
        var r = messages(alice).query("dir", "f").query("limit", "1").send();
        assertThat(r.json().get("chunk").get(0).path("type").asText()).isEqualTo("m.room.create");
        assertThat(r.str("end")).isNotNull();
    }

    @Test
    void stops_at_the_to_token() {
        var first = messages(alice).query("dir", "b").query("limit", "2").send();
        var r = messages(alice).query("dir", "b").query("to", first.str("end")).query("limit", "50").send();
        assertThat(bodies(r.json().get("chunk"))).containsExactly("m5", "m4");
    }

    @Test
    void default_limit_is_ten() {
        for (int i = 6; i <= 15; i++) {
            fx.send(alice, roomId, "m" + i);
        }
        var r = messages(alice).query("dir", "b").send();
        assertThat(r.json().get("chunk")).hasSize(10);
    }

    @Test
    void tokens_stay_valid_after_new_events_arrive() {
        var first = messages(alice).query("dir", "b").query("limit", "2").send();
        fx.send(alice, roomId, "late");
        var r = messages(alice).query("dir", "b").query("from", first.str("end")).query("limit", "2").send();
        assertThat(bodies(r.json().get("chunk"))).containsExactly("m3", "m2");
    }

    @Test
    void filters_by_types_not_types_and_senders() {
        String bob = fx.register("bob");
        fx.join(bob, roomId);
        String fromBob = fx.send(bob, roomId, "from bob");
        // The reaction relates to a real event: Synapse refuses a relation to an event it does not know.
        fx.send(alice, roomId, "m.reaction", Map.of("m.relates_to", Map.of("rel_type", "m.annotation",
                "event_id", fromBob, "key", "k")));
        var onlyMessages = messages(alice).query("dir", "b")
                .query("filter", "{\"types\":[\"m.room.mess*\"],\"senders\":[\"@bob:test\"]}").send();
        assertThat(bodies(onlyMessages.json().get("chunk"))).containsExactly("from bob");
        var noState = messages(alice).query("dir", "b").query("limit", "50")
                .query("filter", "{\"not_types\":[\"m.room.*\"]}").send();
        assertThat(noState.json().get("chunk")).hasSize(1);
        assertThat(noState.json().get("chunk").get(0).path("type").asText()).isEqualTo("m.reaction");
    }

    @Test
    void a_filter_limit_caps_the_page() {
        var r = messages(alice).query("dir", "b").query("filter", "{\"limit\":2}").send();
        assertThat(bodies(r.json().get("chunk"))).containsExactly("m5", "m4");
    }

    @Test
    void a_user_who_left_sees_history_up_to_the_leave_only() {
        String bob = fx.register("bob");
        fx.join(bob, roomId);
        fx.send(alice, roomId, "while bob was here");
        var left = fx.c.post(rooms(roomId) + "/leave").token(bob).json(Map.of()).send();
        assertThat(left.status()).isEqualTo(200);
        fx.send(alice, roomId, "after bob left");
        var r = messages(bob).query("dir", "b").query("limit", "50").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(bodies(r.json().get("chunk"))).contains("while bob was here").doesNotContain("after bob left");
    }

    @Test
    void refuses_a_user_who_never_joined_with_403_M_FORBIDDEN() {
        String eve = fx.register("eve");
        var r = messages(eve).query("dir", "b").send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void refuses_an_unknown_room_with_403_M_FORBIDDEN() {
        var r = fx.c.get(rooms("!nope:test") + "/messages").token(alice).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void refuses_a_bad_dir_with_M_INVALID_PARAM() {
        var r = messages(alice).query("dir", "sideways").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void refuses_a_limit_that_is_not_a_number_with_M_INVALID_PARAM() {
        var r = messages(alice).query("limit", "ten").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void refuses_a_malformed_token_with_400_like_synapse() {
        var r = messages(alice).query("from", "garbage").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void refuses_a_filter_that_is_not_json_with_M_NOT_JSON() {
        var r = messages(alice).query("filter", "{nope").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_NOT_JSON");
    }

    @Test
    void refuses_a_filter_of_the_wrong_shape_with_M_BAD_JSON() {
        var r = messages(alice).query("filter", "{\"types\":\"m.room.message\"}").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void requires_a_token_with_401_M_MISSING_TOKEN() {
        var r = fx.c.get(rooms(roomId) + "/messages").send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_MISSING_TOKEN");
    }
}
