package dev.fakehomeserver.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the appservice asked and what it was answered: 429s retried, refusals, masquerading, media. */
class CoverageOfRequestsTest {
    private static final String V3 = "/_matrix/client/v3";

    @Test
    void a_request_answered_429_then_sent_again_counts_once_it_is_answered() {
        try (CoverageFixture f = new CoverageFixture()) {
            String room = f.roomWithGhost();
            f.hs.faults().on("PUT", "/rooms/*/send/*").times(1).respondLimitExceeded(10);
            String path = V3 + "/rooms/" + TestClient.enc(room) + "/send/m.room.message/t1";

            Reply first = f.asAppservice("PUT", path).asUser("@weather_bob:test").json(Map.of("msgtype", "m.text", "body", "hi")).send();
            assertThat(first.status()).isEqualTo(429);
            assertThat(f.count(Behaviour.RATE_LIMITED_RETRIED)).as("not before it is sent again").isZero();
            Reply again = f.asAppservice("PUT", path).asUser("@weather_bob:test").json(Map.of("msgtype", "m.text", "body", "hi")).send();

            assertThat(again.status()).isEqualTo(200);
            assertThat(f.count(Behaviour.RATE_LIMITED_RETRIED)).isEqualTo(1);
            assertThat(f.count(Behaviour.MASQUERADE)).isEqualTo(1);
        }
    }

    @Test
    void refusals_count_by_their_errcode_and_a_power_refusal_by_its_reason() {
        try (CoverageFixture f = new CoverageFixture()) {
            f.hs.expectViolations();
            Reply outside = f.asAppservice("POST", V3 + "/register")
                    .json(Map.of("type", "m.login.application_service", "username", "paris")).send();
            assertThat(outside.errcode()).isEqualTo("M_EXCLUSIVE");
            Reply ghost = f.asAppservice("POST", V3 + "/register")
                    .json(Map.of("type", "m.login.application_service", "username", "weather_bob")).send();
            assertThat(ghost.status()).isEqualTo(200);
            Reply again = f.asAppservice("POST", V3 + "/register")
                    .json(Map.of("type", "m.login.application_service", "username", "weather_bob")).send();
            assertThat(again.errcode()).isEqualTo("M_USER_IN_USE");

            String room = f.hs.user("@alice:test").createRoom();
            f.hs.user("@alice:test").invite(room, "@weather_bob:test");
            f.hs.user("@weather_bob:test").join(room);
            Reply rename = f.asAppservice("PUT", V3 + "/rooms/" + TestClient.enc(room) + "/state/m.room.name/")
                    .asUser("@weather_bob:test").json(Map.of("name", "mine now")).send();
            assertThat(rename.errcode()).isEqualTo("M_FORBIDDEN");
            Reply notInRoom = f.asAppservice("PUT", V3 + "/rooms/" + TestClient.enc(room) + "/send/m.room.message/t2")
                    .asUser("@weather_ann:test").json(Map.of("msgtype", "m.text", "body", "hi")).send();
            assertThat(notInRoom.errcode()).isEqualTo("M_FORBIDDEN");

            Coverage c = f.hs.coverage();
            assertThat(c.counts("weather")).containsEntry(Behaviour.EXCLUSIVE_REFUSED, 1L)
                    .containsEntry(Behaviour.GHOST_REGISTERED, 1L).containsEntry(Behaviour.GHOST_ALREADY_REGISTERED, 1L)
                    .as("not being in the room is no power refusal").containsEntry(Behaviour.FORBIDDEN_POWER, 1L);
        }
    }

    @Test
    void acting_as_a_ghost_with_a_timestamp_and_media_both_ways_count_for_the_appservice() {
        try (CoverageFixture f = new CoverageFixture()) {
            String room = f.roomWithGhost();
            Reply sent = f.asAppservice("PUT", V3 + "/rooms/" + TestClient.enc(room) + "/send/m.room.message/t3")
                    .asUser("@weather_bob:test").query("ts", "1700000000000")
                    .json(Map.of("msgtype", "m.text", "body", "from the past")).send();
            assertThat(sent.status()).isEqualTo(200);
            Reply asItself = f.asAppservice("GET", V3 + "/account/whoami").send();
            assertThat(asItself.status()).isEqualTo(200);
            Reply up = f.asAppservice("POST", "/_matrix/media/v3/upload").header("Content-Type", "image/png")
                    .json("not really a png").send();
            assertThat(up.status()).isEqualTo(200);
            String mxc = up.str("content_uri");
            Reply down = f.asAppservice("GET", "/_matrix/client/v1/media/download/" + mxc.substring("mxc://".length()))
                    .send();
            assertThat(down.status()).isEqualTo(200);
            f.hs.user("@alice:test").send(room, "a user's own request counts for no appservice");

            assertThat(f.hs.coverage().counts("weather")).containsEntry(Behaviour.MASQUERADE, 1L)
                    .containsEntry(Behaviour.TIMESTAMP_MASSAGING, 1L).containsEntry(Behaviour.MEDIA_UPLOAD, 1L)
                    .containsEntry(Behaviour.MEDIA_DOWNLOAD, 1L);
        }
    }
}
