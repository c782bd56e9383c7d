package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.V3;
import static dev.fakehomeserver.testing.Fixture.enc;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** join (by id, by alias), leave, invite, kick, ban, unban, with Synapse's codes (golden steps). */
class MembershipTest {
    @AutoClose
    private final Fixture f = Fixture.start();
    private String alice;
    private String bob;
    private String room;

    @BeforeEach
    void start() {
        alice = f.register("alice");
        bob = f.register("bob");
        room = f.createRoom(alice, Map.of("preset", "public_chat"));
    }

    private Reply post(String token, String path, Map<String, ?> body) {
        return f.c.post(path).token(token).json(body).send();
    }

    private String membership(String userId) {
        return f.c.get(rooms(room) + "/state/m.room.member/" + enc(userId)).token(alice).send()
                .str("membership");
    }

    @Test
    void joins_a_public_room_by_id_on_both_join_paths() {
        Reply r = post(bob, V3 + "/join/" + enc(room), Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("room_id")).isEqualTo(room);
        assertThat(post(bob, rooms(room) + "/join", Map.of()).str("room_id")).isEqualTo(room);
        assertThat(membership("@bob:test")).isEqualTo("join");
    }

    @Test
    void joins_by_alias() {
        f.c.put(V3 + "/directory/room/" + enc("#trip:test")).token(alice).json(Map.of("room_id", room)).send();
        Reply r = post(bob, V3 + "/join/" + enc("#trip:test"), Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.str("room_id")).isEqualTo(room);
    }

    @Test
    void refuses_a_missing_alias_with_404_M_NOT_FOUND() {
        Reply r = post(bob, V3 + "/join/" + enc("#nothing:test"), Map.of());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(r.error()).isEqualTo("Room alias #nothing:test not found");
    }

    @Test
    void refuses_joining_an_invite_only_room_without_an_invite_with_403() {
        String closed = f.createRoom(alice, Map.of("preset", "private_chat"));
        Reply r = post(bob, V3 + "/join/" + enc(closed), Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void an_invited_ghost_joins_an_invite_only_room() {
        f.ghost("weather_i");
        String closed = f.createRoom(alice, Map.of("preset", "private_chat"));
        assertThat(post(alice, rooms(closed) + "/invite", Map.of("user_id", "@weather_i:test")).status())
                .isEqualTo(200);
        f.joinAs("@weather_i:test", closed);
    }

    @Test
    void leaves_a_room() {
        f.join(bob, room);
        assertThat(post(bob, rooms(room) + "/leave", Map.of()).status()).isEqualTo(200);
        assertThat(membership("@bob:test")).isEqualTo("leave");
    }

    @Test
    void a_ghost_without_power_cannot_kick() {
        f.join(bob, room);
        f.ghost("weather_g");
        f.joinAs("@weather_g:test", room);
        Reply r = f.c.post(rooms(room) + "/kick").token(f.as).asUser("@weather_g:test")
                .json(Map.of("user_id", "@bob:test")).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(membership("@bob:test")).isEqualTo("join");
    }

    @Test
    void kicks_with_a_reason() {
        f.join(bob, room);
        assertThat(post(alice, rooms(room) + "/kick", Map.of("user_id", "@bob:test", "reason", "x")).status())
                .isEqualTo(200);
        assertThat(membership("@bob:test")).isEqualTo("leave");
    }

    @Test
    void a_banned_user_cannot_join_until_unbanned() {
        f.join(bob, room);
        assertThat(post(alice, rooms(room) + "/ban", Map.of("user_id", "@bob:test")).status()).isEqualTo(200);
        Reply banned = post(bob, V3 + "/join/" + enc(room), Map.of());
        assertThat(banned.status()).isEqualTo(403);
        assertThat(banned.errcode()).isEqualTo("M_BAD_STATE");
        assertThat(post(alice, rooms(room) + "/unban", Map.of("user_id", "@bob:test")).status()).isEqualTo(200);
        assertThat(membership("@bob:test")).isEqualTo("leave");
        f.join(bob, room);
    }

    @Test
    void refuses_a_membership_change_without_user_id_with_M_MISSING_PARAM() {
        Reply r = post(alice, rooms(room) + "/invite", Map.of());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_MISSING_PARAM");
    }

    @Test
    void refuses_joining_an_unknown_room_with_404_M_UNKNOWN() {
        // Synapse 1.94 (conversations/membership): it has no server to ask, a plain 404 M_UNKNOWN.
        Reply r = post(bob, V3 + "/join/" + enc("!nope:test"), Map.of());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void forgets_a_room_after_leaving_but_not_while_joined() {
        post(bob, rooms(room) + "/join", Map.of());
        Reply whileJoined = post(bob, rooms(room) + "/forget", Map.of());
        assertThat(whileJoined.status()).isEqualTo(400);
        assertThat(whileJoined.errcode()).isEqualTo("M_UNKNOWN");

        post(bob, rooms(room) + "/leave", Map.of());
        Reply afterLeaving = post(bob, rooms(room) + "/forget", Map.of());

        assertThat(afterLeaving.status()).as(afterLeaving.toString()).isEqualTo(200);
    }

    @Test
    void refuses_to_forget_a_room_the_user_was_never_in_with_404() {
        assertThat(post(bob, rooms(room) + "/forget", Map.of()).errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void knocks_on_a_knock_room_and_is_let_in_by_an_invite() {
        f.c.put(rooms(room) + "/state/m.room.join_rules/").token(alice).json(Map.of("join_rule", "knock")).send();

        Reply knock = post(bob, V3 + "/knock/" + enc(room), Map.of("reason", "let me in"));

        assertThat(knock.status()).as(knock.toString()).isEqualTo(200);
        assertThat(knock.str("room_id")).isEqualTo(room);
        assertThat(membership("@bob:test")).isEqualTo("knock");
        var member = f.c.get(rooms(room) + "/state").token(alice).send().json();
        boolean strippedState = false;
        for (var e : member) {
            if ("@bob:test".equals(e.path("state_key").asText())) {
                strippedState = e.path("unsigned").path("knock_room_state").isArray();
            }
        }
        assertThat(strippedState).as("the knock carries knock_room_state").isTrue();
        assertThat(post(alice, rooms(room) + "/invite", Map.of("user_id", "@bob:test")).status()).isEqualTo(200);
        assertThat(post(bob, rooms(room) + "/join", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void refuses_a_knock_on_a_room_whose_join_rule_is_not_knock_with_403() {
        Reply knock = post(bob, V3 + "/knock/" + enc(room), Map.of());
        assertThat(knock.status()).isEqualTo(403);
        assertThat(knock.errcode()).isEqualTo("M_FORBIDDEN");
    }
}
