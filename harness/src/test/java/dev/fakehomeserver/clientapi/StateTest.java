package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.TestAccess;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code PUT/GET /rooms/{id}/state/...}: empty state keys, power levels, {@code ?ts=}. */
class StateTest {
    @AutoClose
    private final Fixture f = Fixture.start();
    private String alice;
    private String room;

    @BeforeEach
    void start() {
        alice = f.register("alice");
        room = f.createRoom(alice, Map.of("preset", "public_chat"));
    }

    @Test
    void sets_and_reads_state_with_an_empty_key_given_by_a_trailing_slash() {
        Reply put = f.c.put(rooms(room) + "/state/m.room.topic/").token(alice).json(Map.of("topic", "t")).send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.str("event_id")).startsWith("$");
        Reply get = f.c.get(rooms(room) + "/state/m.room.topic/").token(alice).send();
        assertThat(get.json().toString()).isEqualTo("{\"topic\":\"t\"}");
    }

    @Test
    void sets_and_reads_state_without_the_trailing_slash() {
        f.c.put(rooms(room) + "/state/m.room.topic").token(alice).json(Map.of("topic", "u")).send();
        assertThat(f.c.get(rooms(room) + "/state/m.room.topic").token(alice).send().str("topic")).isEqualTo("u");
    }

    @Test
    void sets_state_with_a_non_empty_key() {
        f.c.put(rooms(room) + "/state/org.example.thing/abc").token(alice).json(Map.of("n", 1)).send();
        Reply get = f.c.get(rooms(room) + "/state/org.example.thing/abc").token(alice).send();
        assertThat(get.json().path("n").asInt()).isEqualTo(1);
    }

    @Test
    void answers_missing_state_with_404_M_NOT_FOUND() {
        Reply r = f.c.get(rooms(room) + "/state/m.room.avatar/").token(alice).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void refuses_state_without_enough_power_with_403() {
        f.ghost("weather_g");
        f.joinAs("@weather_g:test", room);
        Reply r = f.c.put(rooms(room) + "/state/m.room.topic/").token(f.as).asUser("@weather_g:test")
                .json(Map.of("topic", "t")).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void refuses_reading_state_of_a_room_the_user_was_never_in() {
        String bob = f.register("bob");
        Reply r = f.c.get(rooms(room) + "/state/m.room.create/").token(bob).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void lists_the_whole_state_as_client_events() {
        Reply r = f.c.get(rooms(room) + "/state").token(alice).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        assertThat(r.json().findValuesAsText("type")).contains("m.room.create", "m.room.member",
                "m.room.power_levels", "m.room.join_rules");
        assertThat(r.json().get(0).has("event_id")).isTrue();
    }

    @Test
    void massages_the_timestamp_of_appservice_state() {
        String ghost = f.ghost("weather_g");
        String own = f.createRoomAs(ghost, Map.of());
        Reply r = f.c.put(rooms(own) + "/state/m.room.topic/").token(f.as).asUser(ghost).query("ts", "1234")
                .json(Map.of("topic", "old")).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(TestAccess.timeline(f.hs, own, "m.room.topic").get(0).originServerTs()).isEqualTo(1234L);
    }
}
