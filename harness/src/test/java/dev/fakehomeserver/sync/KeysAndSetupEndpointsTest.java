package dev.fakehomeserver.sync;

import static dev.fakehomeserver.sync.SyncFixture.V3;
import static dev.fakehomeserver.sync.SyncFixture.sync;
import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The small endpoints clients call while they set up: keys, to-device, push rules, capabilities. */
class KeysAndSetupEndpointsTest {
    private Fixture fx;
    private String alice;
    private String bob;
    private String aliceDevice;

    @BeforeEach
    void setUp() {
        fx = Fixture.start();
        alice = fx.register("alice");
        bob = fx.register("bob");
        aliceDevice = fx.c.get(V3 + "/account/whoami").token(alice).send().str("device_id");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private TestClient.Reply upload(Object body) {
        return fx.c.post(V3 + "/keys/upload").token(alice).json(body).send();
    }

    @Test
    void uploaded_device_keys_come_back_from_query_the_callers_own_included() {
        Map<String, Object> keys = Map.of("user_id", "@alice:test", "device_id", aliceDevice,
                "algorithms", List.of("m.olm.v1.curve25519-aes-sha2"), "keys", Map.of("ed25519:" + aliceDevice, "k"));
        var up = upload(Map.of("device_keys", keys, "one_time_keys",
                Map.of("signed_curve25519:AAAAAQ", Map.of("key", "k1"), "signed_curve25519:AAAAAg", Map.of("key", "k2"))));
        assertThat(up.json().path("one_time_key_counts").path("signed_curve25519").asInt()).as(up.toString()).isEqualTo(2);
        var q = fx.c.post(V3 + "/keys/query").token(alice).json(Map.of("device_keys", Map.of("@alice:test", List.of())))
                .send();
        JsonNode mine = q.json().path("device_keys").path("@alice:test").path(aliceDevice);
        assertThat(mine.path("keys").path("ed25519:" + aliceDevice).asText()).as(q.toString()).isEqualTo("k");
        assertThat(q.json().has("failures")).isTrue();
        assertThat(sync(fx, alice).path("device_one_time_keys_count").path("signed_curve25519").asInt()).isEqualTo(2);
    }

    @Test
    void a_one_time_key_is_claimed_once() {
        upload(Map.of("one_time_keys", Map.of("signed_curve25519:AAAAAQ", Map.of("key", "k1"))));
        Map<String, Object> claim = Map.of("one_time_keys", Map.of("@alice:test", Map.of(aliceDevice, "signed_curve25519")));
        var first = fx.c.post(V3 + "/keys/claim").token(bob).json(claim).send();
        assertThat(first.json().path("one_time_keys").path("@alice:test").path(aliceDevice).has("signed_curve25519:AAAAAQ"))
                .as(first.toString()).isTrue();
        var second = fx.c.post(V3 + "/keys/claim").token(bob).json(claim).send();
        assertThat(second.json().path("one_time_keys").isEmpty()).as(second.toString()).isTrue();
    }

    @Test
    void a_to_device_message_is_delivered_once_in_the_next_sync() {
        String since = sync(fx, alice).path("next_batch").asText();
        var sent = fx.c.put(V3 + "/sendToDevice/m.test/t1").token(bob)
                .json(Map.of("messages", Map.of("@alice:test", Map.of(aliceDevice, Map.of("hello", 1))))).send();
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        fx.c.put(V3 + "/sendToDevice/m.test/t1").token(bob)
                .json(Map.of("messages", Map.of("@alice:test", Map.of(aliceDevice, Map.of("hello", 1))))).send();
        JsonNode s = sync(fx, alice, "since", since, "timeout", "0");
        JsonNode events = s.path("to_device").path("events");
        assertThat(events).as(s.toString()).hasSize(1);
        assertThat(events.get(0).path("sender").asText()).isEqualTo("@bob:test");
        assertThat(events.get(0).path("content").path("hello").asInt()).isEqualTo(1);
        JsonNode again = sync(fx, alice, "since", s.path("next_batch").asText(), "timeout", "0");
        assertThat(again.path("to_device").path("events")).isEmpty();
    }

    @Test
    void without_a_backup_room_keys_version_is_404_and_turn_and_capabilities_answer() {
        var backup = fx.c.get(V3 + "/room_keys/version").token(alice).send();
        assertThat(backup.status()).isEqualTo(404);
        assertThat(backup.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(fx.c.get(V3 + "/voip/turnServer").token(alice).send().json().isEmpty()).isTrue();
        JsonNode caps = fx.c.get(V3 + "/capabilities").token(alice).send().json().path("capabilities");
        assertThat(caps.path("m.room_versions").path("default").asText()).isEqualTo("10");
        var changes = fx.c.get(V3 + "/keys/changes").token(alice).query("from", "garbage").send();
        assertThat(changes.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void push_rules_start_as_synapses_defaults_and_take_changes_with_its_checks() {
        JsonNode global = fx.c.get(V3 + "/pushrules/").token(alice).send().json().path("global");
        assertThat(global.path("override").get(0).path("rule_id").asText()).isEqualTo(".m.rule.master");
        assertThat(global.path("content").get(0).path("pattern").asText()).isEqualTo("alice");
        String since = sync(fx, alice).path("next_batch").asText();
        var put = fx.c.put(V3 + "/pushrules/global/content/cake").token(alice)
                .json(Map.of("actions", List.of("notify"), "pattern", "cake")).send();
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        var got = fx.c.get(V3 + "/pushrules/global/content/cake").token(alice).send();
        assertThat(got.json().path("default").asBoolean(true)).as(got.toString()).isFalse();
        assertThat(sync(fx, alice, "since", since, "timeout", "0").path("account_data").toString()).contains("cake");
        var noPattern = fx.c.put(V3 + "/pushrules/global/content/pie").token(alice)
                .json(Map.of("actions", List.of("notify"))).send();
        assertThat(noPattern.error()).isEqualTo("Content rule missing 'pattern'");
        var dot = fx.c.put(V3 + "/pushrules/global/override/.mine").token(alice)
                .json(Map.of("actions", List.of(), "conditions", List.of())).send();
        assertThat(dot.status()).isEqualTo(400);
        var enabled = fx.c.put(V3 + "/pushrules/global/override/.m.rule.master/enabled").token(alice)
                .json(Map.of("enabled", "yes")).send();
        assertThat(enabled.error()).isEqualTo("Value for 'enabled' must be boolean");
        assertThat(fx.c.delete(V3 + "/pushrules/global/override/.m.rule.master").token(alice).send().status())
                .as("default rules cannot be deleted").isEqualTo(404);
        assertThat(fx.c.delete(V3 + "/pushrules/global/content/cake").token(alice).send().status()).isEqualTo(200);
    }

    @Test
    void notifications_list_messages_from_others() {
        String roomId = fx.createPublicRoom(bob);
        fx.join(alice, roomId);
        fx.send(bob, roomId, "ping alice");
        JsonNode n = fx.c.get(V3 + "/notifications").token(alice).send().json();
        assertThat(n.path("notifications")).as(n.toString()).hasSize(1);
        assertThat(n.path("notifications").get(0).path("event").path("content").path("body").asText())
                .isEqualTo("ping alice");
        assertThat(n.path("notifications").get(0).path("read").asBoolean(true)).isFalse();
    }

    @Test
    void messages_with_an_empty_from_and_typing_null_answer_as_synapse_does() {
        String roomId = fx.createPublicRoom(alice);
        fx.send(alice, roomId, "latest");
        var page = fx.c.get(rooms(roomId) + "/messages").token(alice).query("from", "").query("dir", "b")
                .query("limit", "1").send();
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(Fixture.bodies(page.json().path("chunk"))).containsExactly("latest");
        fx.c.put(rooms(roomId) + "/typing/" + TestClient.enc("@alice:test")).token(alice)
                .json(Map.of("typing", true, "timeout", 30000)).send();
        var stop = fx.c.put(rooms(roomId) + "/typing/" + TestClient.enc("@alice:test")).token(alice)
                .json("{\"typing\":null}").send();
        assertThat(stop.status()).as(stop.toString()).isEqualTo(200);
        assertThat(fx.model().ephemeral().typingUsers(roomId)).isEmpty();
    }
}
