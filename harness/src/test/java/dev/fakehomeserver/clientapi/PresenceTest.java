package dev.fakehomeserver.clientapi;

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

class PresenceTest {
    @AutoClose
    private final Fixture fx = Fixture.start();
    private String alice;
    private final List<EphemeralChange> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        alice = fx.register("alice");
        fx.model().ephemeral().addListener(changes::add);
    }

    private static String path(String userId) {
        return "/_matrix/client/v3/presence/" + TestClient.enc(userId) + "/status";
    }

    @Test
    void sets_own_presence_and_publishes_an_m_presence_edu() {
        var r = fx.c.put(path("@alice:test")).token(alice).json(Map.of("presence", "online", "status_msg", "hi"))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(changes).hasSize(1);
        var edu = changes.get(0).event();
        assertThat(edu.path("type").asText()).isEqualTo("m.presence");
        assertThat(edu.path("sender").asText()).isEqualTo("@alice:test");
        assertThat(edu.path("content").path("presence").asText()).isEqualTo("online");
        assertThat(edu.path("content").path("currently_active").asBoolean()).isTrue();
        assertThat(edu.path("content").path("status_msg").asText()).isEqualTo("hi");
        assertThat(edu.path("content").has("user_id")).isFalse();
    }

    @Test
    void reads_presence_back_with_last_active_ago_from_the_model_clock() {
        fx.c.put(path("@alice:test")).token(alice).json(Map.of("presence", "online")).send();
        // As Synapse's set_state: only "online" moves the last-active time, so it stays at the first PUT.
        fx.c.put(path("@alice:test")).token(alice).json(Map.of("presence", "unavailable")).send();
        fx.clock.addAndGet(5000);
        var r = fx.c.get(path("@alice:test")).token(alice).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("presence")).isEqualTo("unavailable");
        assertThat(r.json().path("last_active_ago").asLong()).isEqualTo(5000);
        assertThat(r.json().has("currently_active")).as("currently_active is only shown when online").isFalse();
    }

    @Test
    void a_user_who_never_set_presence_reads_as_offline() {
        var r = fx.c.get(path("@alice:test")).token(alice).send();
        assertThat(r.str("presence")).isEqualTo("offline");
    }

    @Test
    void a_room_mate_may_read_presence() {
        String bob = fx.register("bob");
        String roomId = fx.createPublicRoom(alice);
        fx.join(bob, roomId);
        fx.c.put(path("@alice:test")).token(alice).json(Map.of("presence", "online")).send();
        var r = fx.c.get(path("@alice:test")).token(bob).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("presence")).isEqualTo("online");
    }

    @Test
    void refuses_reading_a_strangers_presence_with_403() {
        String bob = fx.register("bob");
        var r = fx.c.get(path("@alice:test")).token(bob).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void refuses_setting_another_users_presence_with_403() {
        var r = fx.c.put(path("@bob:test")).token(alice).json(Map.of("presence", "online")).send();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(changes).isEmpty();
    }

    @Test
    void refuses_an_unknown_presence_state_with_400_like_synapse() {
        var r = fx.c.put(path("@alice:test")).token(alice).json(Map.of("presence", "busy")).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void refuses_a_body_without_presence_with_400_like_synapse() {
        var r = fx.c.put(path("@alice:test")).token(alice).json(Map.of("status_msg", "x")).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void every_change_bumps_the_change_signal() {
        // Directly on the model: over HTTP the journal bumps the signal too, which would hide a missing bump.
        long before = fx.model().signal().version();
        fx.model().ephemeral().setPresence("@alice:test", "online", null);
        assertThat(fx.model().signal().version()).isEqualTo(before + 1);
    }
}
