package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @AutoClose
    private final Fixture fx = Fixture.start();
    private String alice;
    private String bob;
    private String roomId;

    @BeforeEach
    void setUp() {
        alice = fx.register("alice");
        bob = fx.register("bob");
        roomId = fx.createPublicRoom(alice);
        fx.join(bob, roomId);
    }

    private TestClient.Reply redact(String token, String eventId, String txnId, Object body) {
        return fx.c.put(rooms(roomId) + "/redact/" + TestClient.enc(eventId) + "/" + txnId).token(token).json(body)
                .send();
    }

    private JsonNode event(String eventId) {
        return fx.c.get(rooms(roomId) + "/event/" + TestClient.enc(eventId)).token(alice).send().json();
    }

    @Test
    void redacts_own_message_stripping_content_and_adding_redacted_because() {
        String target = fx.send(bob, roomId, "oops");
        var r = redact(bob, target, "r1", Map.of("reason", "typo"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String redactionId = r.str("event_id");
        JsonNode e = event(target);
        assertThat(e.path("content").size()).isZero();
        assertThat(e.path("unsigned").path("redacted_because").path("event_id").asText()).isEqualTo(redactionId);
        JsonNode red = event(redactionId);
        assertThat(red.path("type").asText()).isEqualTo("m.room.redaction");
        assertThat(red.path("redacts").asText()).isEqualTo(target);
        assertThat(red.path("content").path("redacts").asText()).isEqualTo(target);
        assertThat(red.path("content").path("reason").asText()).isEqualTo("typo");
    }

    @Test
    void is_idempotent_per_transaction_id() {
        String target = fx.send(bob, roomId, "oops");
        var first = redact(bob, target, "same", Map.of());
        var again = redact(bob, target, "same", Map.of());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.str("event_id")).isEqualTo(first.str("event_id"));
    }

    @Test
    void a_moderator_redacts_someone_elses_message() {
        String target = fx.send(bob, roomId, "spam");
        var r = redact(alice, target, "r1", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(event(target).path("content").size()).isZero();
    }

    @Test
    void refuses_redacting_someone_elses_message_below_the_redact_level_with_403() {
        String target = fx.send(alice, roomId, "mine");
        var r = redact(bob, target, "r1", Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(event(target).path("content").path("body").asText()).isEqualTo("mine");
    }

    @Test
    void answers_an_unknown_target_with_404_M_NOT_FOUND() {
        var r = redact(alice, "$nope", "r1", Map.of());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void refuses_a_non_member_with_403_M_FORBIDDEN() {
        String target = fx.send(alice, roomId, "hi");
        String eve = fx.register("eve");
        var r = redact(eve, target, "r1", Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void refuses_a_reason_that_is_not_a_string_with_M_BAD_JSON() {
        String target = fx.send(alice, roomId, "hi");
        var r = redact(alice, target, "r1", Map.of("reason", 5));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void redacting_a_state_event_keeps_the_keys_the_room_v10_algorithm_keeps() {
        var member = fx.c.get(rooms(roomId) + "/state/m.room.member/" + TestClient.enc("@bob:test")).token(alice)
                .send();
        assertThat(member.json().has("displayname")).isTrue();
        var state = fx.c.get(rooms(roomId) + "/state").token(alice).send().json();
        String memberEventId = null;
        for (JsonNode e : state) {
            if (e.path("type").asText().equals("m.room.member") && e.path("state_key").asText().equals("@bob:test")) {
                memberEventId = e.path("event_id").asText();
            }
        }
        assertThat(redact(alice, memberEventId, "r1", Map.of()).status()).isEqualTo(200);
        var after = fx.c.get(rooms(roomId) + "/state/m.room.member/" + TestClient.enc("@bob:test")).token(alice)
                .send().json();
        assertThat(after.path("membership").asText()).isEqualTo("join");
        assertThat(after.has("displayname")).isFalse();
    }

    @Test
    void a_redacted_message_shows_redacted_in_messages() {
        String target = fx.send(bob, roomId, "secret");
        redact(bob, target, "r1", Map.of());
        var r = fx.c.get(rooms(roomId) + "/messages").token(alice).query("dir", "b").query("limit", "2").send();
        JsonNode chunk = r.json().get("chunk");
        assertThat(chunk.get(0).path("type").asText()).isEqualTo("m.room.redaction");
        assertThat(chunk.get(1).path("event_id").asText()).isEqualTo(target);
        assertThat(chunk.get(1).path("content").has("body")).isFalse();
    }
}
