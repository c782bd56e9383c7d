package dev.fakehomeserver.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What was pushed to the appservice: a remote user's event, its users' memberships, redactions, edits, upgrades. */
class CoverageOfPushedEventsTest {

    @Test
    void a_remote_users_message_counts_for_the_appservice_that_got_it() {
        try (CoverageFixture f = new CoverageFixture()) {
            String room = f.roomWithGhost();
            f.hs.user("@bob:elsewhere").join(room);
            f.hs.user("@bob:elsewhere").send(room, "hello from afar");
            f.awaitIdle();
            assertThat(f.count(Behaviour.REMOTE_USER_EVENT)).as("the join and the message").isEqualTo(2);
        }
    }

    @Test
    void its_users_invited_kicked_banned_and_leaving_count_one_each() {
        try (CoverageFixture f = new CoverageFixture()) {
            String room = f.roomWithGhost();
            var alice = f.hs.user("@alice:test");
            alice.kick(room, "@weather_bob:test", "bye");
            alice.invite(room, "@weather_ann:test");
            f.hs.user("@weather_ann:test").join(room);
            f.hs.user("@weather_ann:test").leave(room);
            alice.ban(room, "@weather_cid:test", "spam");
            alice.send(room, "a message of alice's is no membership");
            f.awaitIdle();

            assertThat(f.hs.coverage().counts("weather")).containsEntry(Behaviour.GHOST_KICKED, 1L)
                    .containsEntry(Behaviour.GHOST_INVITED, 1L).containsEntry(Behaviour.GHOST_LEFT, 1L)
                    .containsEntry(Behaviour.GHOST_BANNED, 1L);
        }
    }

    @Test
    void a_redaction_and_an_edit_of_a_bridged_message_count_when_pushed() {
        try (CoverageFixture f = new CoverageFixture()) {
            String room = f.roomWithGhost();
            String bridged = f.hs.user("@weather_bob:test").send(room, "sunny");
            f.hs.user("@weather_bob:test").sendContent(room, "m.room.message", Map.of("msgtype", "m.text",
                    "body", "* rainy", "m.new_content", Map.of("msgtype", "m.text", "body", "rainy"),
                    "m.relates_to", Map.of("rel_type", "m.replace", "event_id", bridged)));
            f.hs.user("@alice:test").send(room, "no edit");
            f.hs.user("@weather_bob:test").redact(room, bridged, "wrong city");
            f.awaitIdle();

            assertThat(f.hs.coverage().counts("weather")).containsEntry(Behaviour.EDIT, 1L)
                    .containsEntry(Behaviour.REDACTION, 1L);
        }
    }

    @Test
    void joining_the_room_that_replaces_an_upgraded_one_counts_as_following_the_upgrade() {
        try (CoverageFixture f = new CoverageFixture()) {
            var alice = f.hs.user("@alice:test");
            String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
            f.hs.user("@weather_bob:test").join(room);
            f.awaitIdle();
            TestClient.Reply upgraded = f.http.post("/_matrix/client/v3/rooms/" + TestClient.enc(room) + "/upgrade")
                    .token(alice.accessToken()).json(Map.of("new_version", "10")).send();
            assertThat(upgraded.status()).as("%s", upgraded).isEqualTo(200);
            assertThat(f.count(Behaviour.ROOM_UPGRADE_FOLLOWED)).as("alice joined it, not one of its users").isZero();

            f.hs.user("@weather_bob:test").join(upgraded.str("replacement_room"));
            f.awaitIdle();
            assertThat(f.count(Behaviour.ROOM_UPGRADE_FOLLOWED)).isEqualTo(1);
        }
    }
}
