package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.internal.model.EphemeralChange;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TypingAndReceiptsTest {
    @AutoClose
    private final Fixture fx = Fixture.start();
    private String alice;
    private String roomId;
    private final List<EphemeralChange> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        alice = fx.register("alice");
        roomId = fx.createPublicRoom(alice);
        fx.model().ephemeral().addListener(changes::add);
    }

    private TestClient.Reply typing(String token, String userId, Object body) {
        return fx.c.put(rooms(roomId) + "/typing/" + TestClient.enc(userId)).token(token).json(body).send();
    }

    @Test
    void publishes_an_m_typing_edu_with_the_typing_users() {
        var r = typing(alice, "@alice:test", Map.of("typing", true, "timeout", 3000));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().size()).isZero();
        assertThat(changes).hasSize(1);
        EphemeralChange c = changes.get(0);
        assertThat(c.kind()).isEqualTo(EphemeralChange.Kind.TYPING);
        assertThat(c.event().toString()).isEqualTo(
                "{\"type\":\"m.typing\",\"room_id\":\"" + roomId + "\",\"content\":{\"user_ids\":[\"@alice:test\"]}}");
    }

    @Test
    void stopping_publishes_an_empty_user_list() {
        typing(alice, "@alice:test", Map.of("typing", true, "timeout", 3000));
        typing(alice, "@alice:test", Map.of("typing", false));
        assertThat(changes.get(1).event().path("content").path("user_ids")).isEmpty();
    }

    @Test
    void typing_expires_by_the_model_clock_without_timers() {
        typing(alice, "@alice:test", Map.of("typing", true, "timeout", 3000));
        assertThat(fx.model().ephemeral().typingUsers(roomId)).containsExactly("@alice:test");
        fx.clock.addAndGet(2999);
        assertThat(fx.model().ephemeral().typingUsers(roomId)).containsExactly("@alice:test");
        fx.clock.addAndGet(1);
        assertThat(fx.model().ephemeral().typingUsers(roomId)).isEmpty();
    }

    @Test
    void refuses_typing_for_another_user_with_400_M_FORBIDDEN() {
        var r = typing(alice, "@bob:test", Map.of("typing", true, "timeout", 3000));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(r.error()).isEqualTo("Cannot set another user's typing state");
    }

    @Test
    void refuses_typing_in_a_room_one_has_not_joined_with_403() {
        String eve = fx.register("eve");
        var r = typing(eve, "@eve:test", Map.of("typing", true));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void refuses_a_body_without_typing_with_M_BAD_JSON() {
        var r = typing(alice, "@alice:test", Map.of("timeout", 3000));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void a_masqueraded_ghost_can_type() {
        String ghost = fx.ghost("weather_g");
        var join = fx.c.post("/_matrix/client/v3/join/" + TestClient.enc(roomId)).token(fx.as).asUser(ghost)
                .json(Map.of()).send();
        assertThat(join.status()).isEqualTo(200);
        var r = fx.c.put(rooms(roomId) + "/typing/" + TestClient.enc(ghost)).token(fx.as).asUser(ghost)
                .json(Map.of("typing", true)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void a_read_receipt_is_published_as_an_m_receipt_edu() {
        String ev = fx.send(alice, roomId, "hi");
        var r = fx.c.post(rooms(roomId) + "/receipt/m.read/" + TestClient.enc(ev)).token(alice).json(Map.of())
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        EphemeralChange c = changes.get(changes.size() - 1);
        assertThat(c.kind()).isEqualTo(EphemeralChange.Kind.RECEIPT);
        assertThat(c.event().path("type").asText()).isEqualTo("m.receipt");
        assertThat(c.event().path("room_id").asText()).isEqualTo(roomId);
        assertThat(c.event().path("content").path(ev).path("m.read").path("@alice:test").path("ts").asLong())
                .isEqualTo(Fixture.T0);
    }

    @Test
    void a_private_receipt_with_a_thread_keeps_its_thread_id() {
        String ev = fx.send(alice, roomId, "hi");
        var r = fx.c.post(rooms(roomId) + "/receipt/m.read.private/" + TestClient.enc(ev)).token(alice)
                .json(Map.of("thread_id", "main")).send();
        assertThat(r.status()).isEqualTo(200);
        EphemeralChange c = changes.get(changes.size() - 1);
        assertThat(c.isPrivateReceipt()).isTrue();
        assertThat(fx.model().ephemeral().receipt(roomId, "m.read.private", "@alice:test").threadId())
                .isEqualTo("main");
    }

    @Test
    void fully_read_is_room_account_data_not_a_receipt() {
        String ev = fx.send(alice, roomId, "hi");
        var r = fx.c.post(rooms(roomId) + "/receipt/m.fully_read/" + TestClient.enc(ev)).token(alice)
                .json(Map.of()).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(changes).isEmpty();
        var data = fx.c.get("/_matrix/client/v3/user/" + TestClient.enc("@alice:test") + "/rooms/"
                + TestClient.enc(roomId) + "/account_data/m.fully_read").token(alice).send();
        assertThat(data.str("event_id")).isEqualTo(ev);
    }

    @Test
    void refuses_an_unknown_receipt_type_with_400_M_UNKNOWN_as_synapse() {
        String ev = fx.send(alice, roomId, "hi");
        var r = fx.c.post(rooms(roomId) + "/receipt/m.seen/" + TestClient.enc(ev)).token(alice).json(Map.of()).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void refuses_an_empty_thread_id_with_M_INVALID_PARAM() {
        String ev = fx.send(alice, roomId, "hi");
        var r = fx.c.post(rooms(roomId) + "/receipt/m.read/" + TestClient.enc(ev)).token(alice)
                .json(Map.of("thread_id", " ")).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void drops_a_receipt_for_an_unknown_event_with_a_200_as_synapse() {
        var r = fx.c.post(rooms(roomId) + "/receipt/m.read/" + TestClient.enc("$nope")).token(alice).json(Map.of())
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(fx.model().ephemeral().receipt(roomId, "m.read", "@alice:test")).isNull();
    }

    @Test
    void refuses_a_fully_read_marker_for_an_unknown_event_with_404() {
        var r = fx.c.post(rooms(roomId) + "/read_markers").token(alice).json(Map.of("m.fully_read", "$nope")).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void refuses_a_receipt_from_a_non_member_with_403() {
        String ev = fx.send(alice, roomId, "hi");
        String eve = fx.register("eve");
        var r = fx.c.post(rooms(roomId) + "/receipt/m.read/" + TestClient.enc(ev)).token(eve).json(Map.of()).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void read_markers_set_the_fully_read_marker_and_a_read_receipt() {
        String ev = fx.send(alice, roomId, "hi");
        var r = fx.c.post(rooms(roomId) + "/read_markers").token(alice)
                .json(Map.of("m.fully_read", ev, "m.read", ev)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(fx.model().ephemeral().receipt(roomId, "m.read", "@alice:test").eventId()).isEqualTo(ev);
        var data = fx.c.get("/_matrix/client/v3/user/" + TestClient.enc("@alice:test") + "/rooms/"
                + TestClient.enc(roomId) + "/account_data/m.fully_read").token(alice).send();
        assertThat(data.str("event_id")).isEqualTo(ev);
    }

    @Test
    void ignores_a_read_receipt_that_is_no_event_id_as_synapse() {
        var r = fx.c.post(rooms(roomId) + "/read_markers").token(alice).json(Map.of("m.read", 5)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(fx.model().ephemeral().receipt(roomId, "m.read", "@alice:test")).isNull();
    }

    @Test
    void reset_forgets_typing_and_receipts_but_keeps_listeners() {
        String ev = fx.send(alice, roomId, "hi");
        typing(alice, "@alice:test", Map.of("typing", true));
        fx.c.post(rooms(roomId) + "/receipt/m.read/" + TestClient.enc(ev)).token(alice).json(Map.of()).send();
        fx.hs.reset();
        assertThat(fx.model().ephemeral().typingUsers(roomId)).isEmpty();
        assertThat(fx.model().ephemeral().receipt(roomId, "m.read", "@alice:test")).isNull();
        fx.model().ephemeral().setPresence("@x:test", "online", null);
        assertThat(changes.get(changes.size() - 1).kind()).isEqualTo(EphemeralChange.Kind.PRESENCE);
    }
}
