package dev.fakehomeserver.sync;

import static dev.fakehomeserver.sync.SyncFixture.V3;
import static dev.fakehomeserver.sync.SyncFixture.joined;
import static dev.fakehomeserver.sync.SyncFixture.sync;
import static dev.fakehomeserver.sync.SyncFixture.timelineBodies;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Saved filters and the filters a sync applies, inline or by id. */
class FiltersTest {
    private static final String ALICE = "/user/" + TestClient.enc("@alice:test");
    private Fixture fx;
    private String alice;
    private String bob;
    private String roomId;

    @BeforeEach
    void setUp() {
        fx = Fixture.start();
        alice = fx.register("alice");
        bob = fx.register("bob");
        roomId = fx.createRoom(alice, Map.of("preset", "public_chat", "name", "Lobby"));
        fx.join(bob, roomId);
        fx.send(alice, roomId, "one");
        fx.send(bob, roomId, "two");
        fx.send(alice, roomId, "three");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void a_saved_filter_is_returned_as_stored_and_applies_by_id() {
        var created = fx.c.post(V3 + ALICE + "/filter").token(alice)
                .json(Map.of("room", Map.of("timeline", Map.of("limit", 1)), "some_future_field", true)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String id = created.str("filter_id");
        assertThat(id).isEqualTo("0");
        var got = fx.c.get(V3 + ALICE + "/filter/" + id).token(alice).send();
        assertThat(got.json().path("room").path("timeline").path("limit").asInt()).as(got.toString()).isEqualTo(1);
        assertThat(timelineBodies(sync(fx, alice, "filter", id), roomId)).containsExactly("three");
    }

    @Test
    void refuses_other_users_filters_bad_ids_and_unknown_ids_as_synapse_does() {
        var other = fx.c.post(V3 + "/user/" + TestClient.enc("@bob:test") + "/filter").token(alice).json(Map.of()).send();
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.errcode()).isEqualTo("M_FORBIDDEN");
        var bad = fx.c.get(V3 + ALICE + "/filter/abc").token(alice).send();
        assertThat(bad.status()).isEqualTo(400);
        var missing = fx.c.get(V3 + ALICE + "/filter/99").token(alice).send();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errcode()).isEqualTo("M_NOT_FOUND");
        var notJson = fx.c.post(V3 + ALICE + "/filter").token(alice).json("{nope").send();
        assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
        var syncBadId = fx.c.get(V3 + "/sync").token(alice).query("filter", "12").send();
        assertThat(syncBadId.errcode()).as(syncBadId.toString()).isEqualTo("M_INVALID_PARAM");
        var syncBadJson = fx.c.get(V3 + "/sync").token(alice).query("filter", "{bad").send();
        assertThat(syncBadJson.errcode()).as(syncBadJson.toString()).isEqualTo("M_NOT_JSON");
    }

    @Test
    void an_inline_filter_picks_senders_types_rooms_and_state() {
        String other = fx.createPublicRoom(alice);
        String f = "{\"room\":{\"not_rooms\":[\"" + other + "\"],\"timeline\":{\"senders\":[\"@bob:test\"],"
                + "\"types\":[\"m.room.message\"]},\"state\":{\"types\":[\"m.room.name\"]}},\"unknown\":{}}";
        JsonNode s = sync(fx, alice, "filter", f);
        assertThat(s.path("rooms").path("join").has(other)).isFalse();
        assertThat(timelineBodies(s, roomId)).containsExactly("two");
        JsonNode state = joined(s, roomId).path("state").path("events");
        assertThat(state).hasSize(1);
        assertThat(state.get(0).path("content").path("name").asText()).isEqualTo("Lobby");
    }

    @Test
    void presence_and_account_data_filters_leave_out_what_they_exclude() {
        JsonNode s = sync(fx, alice, "filter",
                "{\"presence\":{\"not_types\":[\"*\"]},\"account_data\":{\"types\":[\"m.direct\"]}}");
        assertThat(s.path("presence").path("events")).isEmpty();
        assertThat(s.path("account_data").path("events")).isEmpty();
        assertThat(sync(fx, alice).path("account_data").path("events").toString()).contains("m.push_rules");
    }

    @Test
    void a_limit_of_zero_gives_an_empty_limited_timeline_and_current_state() {
        JsonNode room = joined(sync(fx, alice, "filter", "{\"room\":{\"timeline\":{\"limit\":0}}}"), roomId);
        assertThat(room.path("timeline").path("events")).isEmpty();
        assertThat(room.path("timeline").path("limited").asBoolean()).isTrue();
        assertThat(room.path("state").path("events").toString()).contains("@bob:test", "Lobby");
        assertThat(List.of(room.path("timeline").path("prev_batch").asText())).allMatch(t -> t.startsWith("t"));
    }
}
