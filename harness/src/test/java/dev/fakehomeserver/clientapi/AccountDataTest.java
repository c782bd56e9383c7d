package dev.fakehomeserver.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountDataTest {
    @AutoClose
    private final Fixture fx = Fixture.start();
    private String alice;
    private String roomId;

    @BeforeEach
    void setUp() {
        alice = fx.register("alice");
        roomId = fx.createPublicRoom(alice);
    }

    private static String global(String userId, String type) {
        return "/_matrix/client/v3/user/" + TestClient.enc(userId) + "/account_data/" + type;
    }

    private static String inRoom(String userId, String roomId, String type) {
        return "/_matrix/client/v3/user/" + TestClient.enc(userId) + "/rooms/" + TestClient.enc(roomId)
                + "/account_data/" + type;
    }

    @Test
    void stores_and_reads_back_global_account_data() {
        var put = fx.c.put(global("@alice:test", "m.direct")).token(alice)
                .json(Map.of("@bob:test", java.util.List.of("!r:test"))).send();
        assertThat(put.status()).isEqualTo(200);
        var get = fx.c.get(global("@alice:test", "m.direct")).token(alice).send();
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.json().path("@bob:test").get(0).asText()).isEqualTo("!r:test");
    }

    @Test
    void stores_and_reads_back_room_account_data() {
        fx.c.put(inRoom("@alice:test", roomId, "m.tag")).token(alice).json(Map.of("tags", Map.of())).send();
        var get = fx.c.get(inRoom("@alice:test", roomId, "m.tag")).token(alice).send();
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.json().has("tags")).isTrue();
    }

    @Test
    void missing_account_data_is_404_M_NOT_FOUND() {
        var g = fx.c.get(global("@alice:test", "x.nope")).token(alice).send();
        assertThat(g.status()).isEqualTo(404);
        assertThat(g.errcode()).isEqualTo("M_NOT_FOUND");
        var r = fx.c.get(inRoom("@alice:test", roomId, "x.nope")).token(alice).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void refuses_another_users_account_data_with_403() {
        fx.register("bob");
        assertThat(fx.c.get(global("@bob:test", "m.direct")).token(alice).send().errcode()).isEqualTo("M_FORBIDDEN");
        var put = fx.c.put(global("@bob:test", "m.direct")).token(alice).json(Map.of()).send();
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.errcode()).isEqualTo("M_FORBIDDEN");
        var room = fx.c.put(inRoom("@bob:test", roomId, "m.tag")).token(alice).json(Map.of()).send();
        assertThat(room.status()).isEqualTo(403);
    }

    @Test
    void a_ghost_keeps_its_own_account_data_through_masquerading() {
        String ghost = fx.ghost("weather_g");
        var put = fx.c.put(global(ghost, "m.direct")).token(fx.as).asUser(ghost).json(Map.of()).send();
        assertThat(put.status()).isEqualTo(200);
        assertThat(fx.c.get(global(ghost, "m.direct")).token(fx.as).asUser(ghost).send().status())
                .isEqualTo(200);
    }

    @Test
    void refuses_content_that_is_not_an_object_with_M_BAD_JSON() {
        var r = fx.c.put(global("@alice:test", "m.direct")).token(alice).json("[1]").send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void refuses_an_invalid_room_id_with_M_INVALID_PARAM() {
        var r = fx.c.put(inRoom("@alice:test", "not-a-room", "m.tag")).token(alice).json(Map.of()).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void refuses_setting_fully_read_directly_like_synapse() {
        var r = fx.c.put(inRoom("@alice:test", roomId, "m.fully_read")).token(alice).json(Map.of("event_id", "$x"))
                .send();
        // Synapse 1.94 answers 405 with M_BAD_JSON (the accountdata conversation).
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void reset_forgets_account_data() {
        fx.c.put(global("@alice:test", "m.direct")).token(alice).json(Map.of()).send();
        fx.hs.reset();
        String again = fx.register("alice");
        assertThat(fx.c.get(global("@alice:test", "m.direct")).token(again).send().status()).isEqualTo(404);
    }

    @Test
    void the_appservice_sender_keeps_account_data_without_gaining_a_profile() {
        String sender = "@weatherbot:test";
        assertThat(fx.c.put(global(sender, "org.example.pref")).token(fx.as).json(Map.of("x", 1)).send().status())
                .isEqualTo(200);
        assertThat(fx.c.get(global(sender, "org.example.pref")).token(fx.as).send().json().path("x").asInt())
                .isEqualTo(1);
        assertThat(fx.c.get("/_matrix/client/v3/profile/" + sender).send().status())
                .as("Synapse has no profile row for the sender until it sets one").isEqualTo(404);
    }
}
