package dev.fakehomeserver.sync;

import static dev.fakehomeserver.sync.SyncFixture.V3;
import static dev.fakehomeserver.sync.SyncFixture.joined;
import static dev.fakehomeserver.sync.SyncFixture.sync;
import static dev.fakehomeserver.sync.SyncFixture.syncAsync;
import static dev.fakehomeserver.sync.SyncFixture.timelineBodies;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /sync} over real HTTP: sections, initial and incremental, the long poll, membership moves. */
class SyncTest {
    private Fixture fx;
    private String alice;
    private String bob;

    @BeforeEach
    void setUp() {
        fx = Fixture.start();
        alice = fx.register("alice");
        bob = fx.register("bob");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void an_initial_sync_has_every_section_even_when_empty() {
        JsonNode s = sync(fx, bob);
        assertThat(s.path("next_batch").asText()).startsWith("s");
        for (String section : List.of("join", "invite", "leave", "knock")) {
            assertThat(s.path("rooms").path(section).isObject()).as(section).isTrue();
        }
        for (String section : List.of("presence", "account_data", "to_device")) {
            assertThat(s.path(section).path("events").isArray()).as(section).isTrue();
        }
        assertThat(s.path("device_lists").path("changed").isArray()).isTrue();
        assertThat(s.path("device_lists").path("left").isArray()).isTrue();
        assertThat(s.path("device_one_time_keys_count").path("signed_curve25519").asInt(-1)).isZero();
        assertThat(s.path("account_data").path("events").get(0).path("type").asText()).isEqualTo("m.push_rules");
    }

    @Test
    void an_initial_sync_shows_a_joined_room_with_the_state_before_its_timeline() {
        String roomId = fx.createRoom(alice, Map.of("preset", "public_chat", "name", "Lobby"));
        for (int i = 1; i <= 12; i++) {
            fx.send(alice, roomId, "m" + i);
        }
        JsonNode room = joined(sync(fx, alice), roomId);
        JsonNode timeline = room.path("timeline");
        assertThat(Fixture.bodies(timeline.path("events"))).as(room.toString())
                .containsExactly("m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12");
        assertThat(timeline.path("limited").asBoolean()).isTrue();
        assertThat(timeline.path("events").get(0).has("room_id")).isFalse();
        List<String> stateTypes = new ArrayList<>();
        room.path("state").path("events").forEach(e -> stateTypes.add(e.path("type").asText()));
        assertThat(stateTypes).contains("m.room.create", "m.room.member", "m.room.name", "m.room.power_levels");
        for (String key : List.of("ephemeral", "account_data")) {
            assertThat(room.path(key).path("events").isArray()).as(key).isTrue();
        }
        assertThat(room.path("unread_notifications").path("notification_count").asInt(-1)).isZero();
        assertThat(room.path("summary").isObject()).isTrue();

        var page = fx.c.get(rooms(roomId) + "/messages").token(alice).query("dir", "b")
                .query("from", timeline.path("prev_batch").asText()).query("limit", "2").send();
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(Fixture.bodies(page.json().path("chunk"))).containsExactly("m2", "m1");
    }

    @Test
    void an_incremental_sync_has_only_the_rooms_and_events_that_are_new() {
        String quiet = fx.createPublicRoom(alice);
        String busy = fx.createPublicRoom(alice);
        fx.send(alice, busy, "old");
        String since = sync(fx, alice).path("next_batch").asText();
        fx.send(alice, busy, "new");
        JsonNode s = sync(fx, alice, "since", since, "timeout", "0");
        assertThat(s.path("rooms").path("join").has(quiet)).isFalse();
        assertThat(timelineBodies(s, busy)).containsExactly("new");
        assertThat(joined(s, busy).path("timeline").path("limited").asBoolean()).isFalse();
        assertThat(joined(s, busy).path("state").path("events")).isEmpty();
    }

    @Test
    void timeout_zero_answers_at_once_with_empty_sections_and_a_usable_token() {
        fx.createPublicRoom(alice);
        String since = sync(fx, alice).path("next_batch").asText();
        JsonNode s = sync(fx, alice, "since", since, "timeout", "0");
        assertThat(s.path("rooms").path("join").isEmpty()).as(s.toString()).isTrue();
        assertThat(s.path("next_batch").asText()).isEqualTo(since);
    }

    @Test
    void a_held_sync_times_out_with_empty_sections() throws Exception {
        fx.createPublicRoom(alice);
        String since = sync(fx, alice).path("next_batch").asText();
        JsonNode s = syncAsync(fx, alice, since, 200).get(10, TimeUnit.SECONDS);
        assertThat(s.path("rooms").path("join").isEmpty()).as(s.toString()).isTrue();
        assertThat(s.path("presence").path("events")).isEmpty();
    }

    @Test
    void a_held_sync_is_answered_when_a_message_arrives() throws Exception {
        String roomId = fx.createPublicRoom(alice);
        fx.join(bob, roomId);
        String since = sync(fx, bob).path("next_batch").asText();
        CompletableFuture<JsonNode> held = syncAsync(fx, bob, since, 20_000);
        fx.send(alice, roomId, "wake up");
        JsonNode s = held.get(10, TimeUnit.SECONDS);
        assertThat(timelineBodies(s, roomId)).as(s.toString()).containsExactly("wake up");
    }

    @Test
    void an_invite_shows_stripped_state_then_moves_to_join_with_full_state() {
        String roomId = fx.createRoom(alice, Map.of("preset", "private_chat", "name", "DM",
                "invite", List.of("@bob:test"), "is_direct", true));
        JsonNode first = sync(fx, bob);
        JsonNode invite = first.path("rooms").path("invite").path(roomId).path("invite_state").path("events");
        List<String> types = new ArrayList<>();
        JsonNode own = null;
        for (JsonNode e : invite) {
            types.add(e.path("type").asText());
            if (e.path("state_key").asText().equals("@bob:test")) {
                own = e;
            }
        }
        assertThat(types).as(invite.toString()).contains("m.room.create", "m.room.name", "m.room.join_rules");
        assertThat(own).as(invite.toString()).isNotNull();
        assertThat(own.path("sender").asText()).isEqualTo("@alice:test");
        assertThat(own.path("content").path("is_direct").asBoolean()).isTrue();
        assertThat(first.path("rooms").path("join").has(roomId)).isFalse();

        fx.join(bob, roomId);
        JsonNode next = sync(fx, bob, "since", first.path("next_batch").asText(), "timeout", "0");
        assertThat(next.path("rooms").path("invite").has(roomId)).isFalse();
        JsonNode room = joined(next, roomId);
        List<String> seen = new ArrayList<>();
        room.path("state").path("events").forEach(e -> seen.add(e.path("type").asText()));
        room.path("timeline").path("events").forEach(e -> seen.add(e.path("type").asText()));
        assertThat(seen).as(room.toString()).contains("m.room.create", "m.room.name", "m.room.power_levels");
    }

    @Test
    void a_kick_shows_the_room_in_leave_once() {
        String roomId = fx.createPublicRoom(alice);
        fx.join(bob, roomId);
        String since = sync(fx, bob).path("next_batch").asText();
        var kick = fx.c.post(rooms(roomId) + "/kick").token(alice).json(Map.of("user_id", "@bob:test")).send();
        assertThat(kick.status()).as(kick.toString()).isEqualTo(200);
        JsonNode s = sync(fx, bob, "since", since, "timeout", "0");
        JsonNode left = s.path("rooms").path("leave").path(roomId);
        JsonNode last = left.path("timeline").path("events").get(0);
        assertThat(last.path("content").path("membership").asText()).as(s.toString()).isEqualTo("leave");
        assertThat(s.path("rooms").path("join").has(roomId)).isFalse();
        fx.send(alice, roomId, "after bob left");
        JsonNode again = sync(fx, bob, "since", s.path("next_batch").asText(), "timeout", "0");
        assertThat(again.path("rooms").path("leave").has(roomId)).as(again.toString()).isFalse();
        assertThat(again.path("rooms").path("join").has(roomId)).isFalse();
    }

    @Test
    void transaction_id_is_shown_only_to_the_sending_device() {
        String roomId = fx.createPublicRoom(alice);
        String laptop = SyncFixture.login(fx, "alice", "LAPTOP");
        var sent = fx.c.put(rooms(roomId) + "/send/m.room.message/txn-42").token(alice)
                .json(Map.of("msgtype", "m.text", "body", "from the first device")).send();
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(unsignedOfLast(sync(fx, alice), roomId).path("transaction_id").asText()).isEqualTo("txn-42");
        assertThat(unsignedOfLast(sync(fx, laptop), roomId).has("transaction_id")).isFalse();
        fx.join(bob, roomId);
        assertThat(lastMessage(sync(fx, bob), roomId).path("unsigned").has("transaction_id")).isFalse();
    }

    private static JsonNode unsignedOfLast(JsonNode sync, String roomId) {
        return lastMessage(sync, roomId).path("unsigned");
    }

    private static JsonNode lastMessage(JsonNode sync, String roomId) {
        JsonNode found = null;
        for (JsonNode e : joined(sync, roomId).path("timeline").path("events")) {
            if (e.path("type").asText().equals("m.room.message")) {
                found = e;
            }
        }
        assertThat(found).as(sync.toString()).isNotNull();
        return found;
    }

    @Test
    void account_data_typing_and_receipts_reach_the_next_sync() {
        String roomId = fx.createPublicRoom(alice);
        fx.join(bob, roomId);
        String eventId = fx.send(alice, roomId, "hello");
        String since = sync(fx, bob).path("next_batch").asText();
        var put = fx.c.put(V3 + "/user/" + TestClient.enc("@bob:test") + "/account_data/m.direct").token(bob)
                .json(Map.of("@alice:test", List.of(roomId))).send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        fx.c.put(rooms(roomId) + "/typing/" + TestClient.enc("@alice:test")).token(alice)
                .json(Map.of("typing", true, "timeout", 30000)).send();
        fx.c.post(rooms(roomId) + "/receipt/m.read/" + TestClient.enc(eventId)).token(alice).json(Map.of()).send();
        JsonNode s = sync(fx, bob, "since", since, "timeout", "0");
        assertThat(s.path("account_data").path("events").toString()).contains("m.direct", roomId);
        String ephemeral = joined(s, roomId).path("ephemeral").path("events").toString();
        assertThat(ephemeral).as(s.toString()).contains("m.typing", "@alice:test", "m.receipt", eventId);
        JsonNode again = sync(fx, bob, "since", s.path("next_batch").asText(), "timeout", "0");
        assertThat(again.path("account_data").path("events")).as(again.toString()).isEmpty();
    }

    @Test
    void unread_counts_count_messages_from_others_after_the_read_receipt() {
        String roomId = fx.createPublicRoom(alice);
        fx.join(bob, roomId);
        String read = fx.send(alice, roomId, "one");
        fx.send(alice, roomId, "two");
        fx.send(alice, roomId, "hey bob, three");
        fx.c.post(rooms(roomId) + "/receipt/m.read/" + TestClient.enc(read)).token(bob).json(Map.of()).send();
        JsonNode counts = joined(sync(fx, bob), roomId).path("unread_notifications");
        assertThat(counts.path("notification_count").asInt()).as(counts.toString()).isEqualTo(2);
        assertThat(counts.path("highlight_count").asInt()).isEqualTo(1);
    }

    @Test
    void refuses_a_bad_since_timeout_or_set_presence_as_synapse_does() {
        var badSince = fx.c.get(V3 + "/sync").token(alice).query("since", "garbage").send();
        assertThat(badSince.status()).isEqualTo(400);
        assertThat(badSince.errcode()).isEqualTo("M_UNKNOWN");
        var badTimeout = fx.c.get(V3 + "/sync").token(alice).query("timeout", "soon").send();
        assertThat(badTimeout.errcode()).as(badTimeout.toString()).isEqualTo("M_INVALID_PARAM");
        var badPresence = fx.c.get(V3 + "/sync").token(alice).query("set_presence", "busy").send();
        assertThat(badPresence.errcode()).as(badPresence.toString()).isEqualTo("M_INVALID_PARAM");
        var post = fx.c.post(V3 + "/sync").token(alice).json("{}").send();
        assertThat(post.status()).as("Synapse has no POST /sync").isEqualTo(405);
    }

    @Test
    void syncing_marks_the_user_online_unless_set_presence_says_offline() {
        sync(fx, bob, "set_presence", "offline");
        assertThat(fx.model().ephemeral().presence("@bob:test")).isNull();
        JsonNode s = sync(fx, bob);
        assertThat(s.path("presence").path("events").toString()).contains("@bob:test", "online");
    }
}
