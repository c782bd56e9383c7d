package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.bodies;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventAndContextTest {
    @AutoClose
    private final Fixture fx = Fixture.start();
    private String alice;
    private String roomId;
    private String[] ids = new String[6];

    @BeforeEach
    void setUp() {
        alice = fx.register("alice");
        roomId = fx.createPublicRoom(alice);
        for (int i = 1; i <= 5; i++) {
            ids[i] = fx.send(alice, roomId, "m" + i);
        }
    }

    @Test
    void fetches_one_event_in_client_format() {
        var r = fx.c.get(rooms(roomId) + "/event/" + TestClient.enc(ids[2])).token(alice).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("event_id")).isEqualTo(ids[2]);
        assertThat(r.json().path("content").path("body").asText()).isEqualTo("m2");
        assertThat(r.str("sender")).isEqualTo("@alice:test");
        assertThat(r.json().path("unsigned").has("age")).isTrue();
    }

    @Test
    void answers_an_unknown_event_with_404_M_NOT_FOUND() {
        var r = fx.c.get(rooms(roomId) + "/event/" + TestClient.enc("$nope")).token(alice).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void answers_an_event_of_another_room_with_404_M_NOT_FOUND() {
        String other = fx.createPublicRoom(alice);
        var r = fx.c.get(rooms(other) + "/event/" + TestClient.enc(ids[1])).token(alice).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void refuses_an_event_to_a_non_member_with_403_M_FORBIDDEN() {
        String eve = fx.register("eve");
        var r = fx.c.get(rooms(roomId) + "/event/" + TestClient.enc(ids[1])).token(eve).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void gives_context_around_an_event_split_half_before_half_after() {
        var r = fx.c.get(rooms(roomId) + "/context/" + TestClient.enc(ids[3])).token(alice).query("limit", "4").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var o = r.json();
        assertThat(o.path("event").path("event_id").asText()).isEqualTo(ids[3]);
        assertThat(bodies(o.get("events_before"))).containsExactly("m2", "m1");
        assertThat(bodies(o.get("events_after"))).containsExactly("m4", "m5");
        assertThat(o.get("state").size()).isGreaterThan(3);
        // start and end are /messages tokens: paginating back from start continues before m1
        var back = fx.c.get(rooms(roomId) + "/messages").token(alice).query("dir", "b")
                .query("from", o.path("start").asText()).query("limit", "1").send();
        assertThat(back.json().get("chunk").get(0).path("type").asText()).isNotEqualTo("m.room.message");
        var fwd = fx.c.get(rooms(roomId) + "/messages").token(alice).query("dir", "f")
                .query("from", o.path("end").asText()).send();
        assertThat(fwd.json().get("chunk")).isEmpty();
    }

    @Test
    void context_of_an_unknown_event_is_404_M_NOT_FOUND() {
        var r = fx.c.get(rooms(roomId) + "/context/" + TestClient.enc("$nope")).token(alice).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void context_for_a_non_member_is_403_M_FORBIDDEN() {
        String eve = fx.register("eve");
        var r = fx.c.get(rooms(roomId) + "/context/" + TestClient.enc(ids[1])).token(eve).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }
}
