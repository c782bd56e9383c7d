package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.TestAccess;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code PUT /rooms/{id}/send/{type}/{txnId}}: idempotency, the per-appservice txn trap, {@code ?ts=} (§4.6, §4.9). */
class SendTest {
    private static final Map<String, String> HI = Map.of("msgtype", "m.text", "body", "hi");
    @AutoClose
    private final Fixture f = Fixture.start();
    private String alice;
    private String room;

    @BeforeEach
    void start() {
        alice = f.register("alice");
        room = f.createRoom(alice, Map.of("preset", "public_chat"));
        f.ghost("weather_g");
        f.joinAs("@weather_g:test", room);
    }

    private Reply sendAs(String userId, String txn, Object body) {
        return f.c.put(rooms(room) + "/send/m.room.message/" + txn).token(f.as).asUser(userId).json(body).send();
    }

    private List<Event> messages() {
        return TestAccess.timeline(f.hs, room, "m.room.message");
    }

    @Test
    void sends_a_message_as_a_ghost() {
        Reply r = sendAs("@weather_g:test", "t1", HI);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("event_id")).startsWith("$");
        assertThat(messages()).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo(r.str("event_id"));
            assertThat(e.sender()).isEqualTo("@weather_g:test");
            assertThat(e.content().path("body").asText()).isEqualTo("hi");
        });
    }

    @Test
    void answers_a_repeated_txn_id_with_the_same_event_and_creates_no_second_one() {
        String first = sendAs("@weather_g:test", "t1", HI).str("event_id");
        Reply again = sendAs("@weather_g:test", "t1", HI);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.str("event_id")).isEqualTo(first);
        assertThat(messages()).hasSize(1);
    }

    @Test
    void keys_the_txn_cache_per_appservice_so_another_ghost_with_the_same_txn_id_is_dropped() {
        f.ghost("weather_h");
        f.joinAs("@weather_h:test", room);
        String first = sendAs("@weather_g:test", "t1", HI).str("event_id");
        Reply other = sendAs("@weather_h:test", "t1", Map.of("msgtype", "m.text", "body", "lost"));
        // Synapse's trap (synapse#2937): the second ghost gets the first event back and its message is dropped.
        assertThat(other.str("event_id")).isEqualTo(first);
        assertThat(messages()).hasSize(1);
    }

    @Test
    void keys_the_txn_cache_per_device_for_user_tokens() {
        String bob = f.register("bob");
        f.join(bob, room);
        String a = f.c.put(rooms(room) + "/send/m.room.message/t1").token(alice).json(HI).send().str("event_id");
        String b = f.c.put(rooms(room) + "/send/m.room.message/t1").token(bob).json(HI).send().str("event_id");
        assertThat(a).isNotEqualTo(b);
        assertThat(messages()).hasSize(2);
    }

    @Test
    void massages_origin_server_ts_for_appservices() {
        Reply r = f.c.put(rooms(room) + "/send/m.room.message/t2").token(f.as).asUser("@weather_g:test")
                .query("ts", "1600000000000").json(HI).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(messages().get(0).originServerTs()).isEqualTo(1600000000000L);
    }

    @Test
    void ignores_ts_for_user_tokens() {
        Reply r = f.c.put(rooms(room) + "/send/m.room.message/t2").token(alice).query("ts", "abc").json(HI).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        f.c.put(rooms(room) + "/send/m.room.message/t3").token(alice).query("ts", "5").json(HI).send();
        assertThat(messages()).allSatisfy(e -> assertThat(e.originServerTs()).isGreaterThan(1_000_000_000_000L));
    }

    @Test
    void refuses_a_ts_that_is_not_an_integer_with_M_INVALID_PARAM() {
        Reply r = f.c.put(rooms(room) + "/send/m.room.message/t3").token(f.as).asUser("@weather_g:test")
                .query("ts", "abc").json(HI).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(r.error()).isEqualTo("Query parameter 'ts' must be an integer");
    }

    @Test
    void refuses_a_negative_ts_with_M_INVALID_PARAM_as_current_synapse() {
        Reply r = f.c.put(rooms(room) + "/send/m.room.message/t4").token(f.as).asUser("@weather_g:test")
                .query("ts", "-5").json(HI).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(messages()).isEmpty();
    }

    @Test
    void refuses_a_sender_not_in_the_room_with_403() {
        f.ghost("weather_i");
        Reply r = sendAs("@weather_i:test", "t6", HI);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(r.error()).startsWith("User @weather_i:test not in room " + room);
    }

    @Test
    void refuses_an_unknown_room_with_403() {
        Reply r = f.c.put(rooms("!nope:test") + "/send/m.room.message/t7").token(alice).json(HI).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void refuses_an_event_over_65536_bytes_with_413_M_TOO_LARGE() {
        Reply r = sendAs("@weather_g:test", "big", Map.of("msgtype", "m.text", "body", "x".repeat(65_536)));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errcode()).isEqualTo("M_TOO_LARGE");
        // The limit is on the whole event: content just under 64 KiB is still too large with its envelope.
        Reply near = sendAs("@weather_g:test", "near", Map.of("msgtype", "m.text", "body", "x".repeat(65_400)));
        assertThat(near.status()).isEqualTo(413);
        assertThat(sendAs("@weather_g:test", "fine", Map.of("msgtype", "m.text", "body", "x".repeat(60_000))).status())
                .isEqualTo(200);
    }

    @Test
    void refuses_a_body_that_is_not_json_with_M_NOT_JSON() {
        Reply r = f.c.put(rooms(room) + "/send/m.room.message/t5").token(alice).json("{not json").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_NOT_JSON");
    }
}
