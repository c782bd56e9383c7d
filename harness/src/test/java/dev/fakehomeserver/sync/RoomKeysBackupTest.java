package dev.fakehomeserver.sync;

import static dev.fakehomeserver.sync.SyncFixture.V3;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The keys of a backup ({@code /room_keys/keys}), values as Synapse 1.94 gave them for the same requests (the
 * recorded family conversations/roomkeys compares status, errcode and keys; this compares etags, counts and
 * which key a merge keeps). Before, every PUT here was 405 and every GET an empty {@code rooms}, so a client
 * that backed up its keys (Element, nheko) read nothing back.
 */
class RoomKeysBackupTest {
    private static final Map<String, Object> BACKUP = Map.of("algorithm", "m.megolm_backup.v1.curve25519-aes-sha2",
            "auth_data", Map.of("public_key", "pub"));
    @AutoClose
    private final Fixture fx = Fixture.start();
    private final String alice = fx.register("alice");
    private final String version = fx.c.post(V3 + "/room_keys/version").token(alice).json(BACKUP).send().str("version");

    private static Map<String, Object> key(int firstIndex, int forwarded, boolean verified) {
        return Map.of("first_message_index", firstIndex, "forwarded_count", forwarded, "is_verified", verified,
                "session_data", Map.of("ciphertext", "c" + firstIndex));
    }

    private Reply put(String path, Object body) {
        return fx.c.put(V3 + "/room_keys/keys" + path + "?version=" + version).token(alice).json(body).send();
    }

    private JsonNode get(String path) {
        return fx.c.get(V3 + "/room_keys/keys" + path + "?version=" + version).token(alice).send().json();
    }

    @Test
    void a_key_is_replaced_only_by_a_better_one_and_every_change_moves_the_etag() {
        assertThat(put("/!r:test/s1", key(3, 3, false)).json().toString()).isEqualTo("{\"etag\":\"1\",\"count\":1}");
        // A later first index but fewer forwards: better by Synapse's third rule.
        assertThat(put("/!r:test/s1", key(4, 1, false)).str("etag")).isEqualTo("2");
        assertThat(get("/!r:test/s1").path("first_message_index").asInt()).isEqualTo(4);
        assertThat(put("/!r:test/s1", key(3, 2, false)).str("etag")).isEqualTo("3");
        // Verified beats unverified, whatever the indexes.
        assertThat(put("/!r:test/s1", key(9, 9, true)).str("etag")).isEqualTo("4");
        JsonNode kept = get("/!r:test/s1");
        assertThat(kept.path("is_verified").asBoolean()).isTrue();
        assertThat(kept.path("session_data").path("ciphertext").asText()).isEqualTo("c9");
        // A worse key (unverified, a later first index, more forwards) changes nothing, not even the etag.
        assertThat(put("/!r:test/s1", key(10, 10, false)).json().toString()).isEqualTo("{\"etag\":\"4\",\"count\":1}");
    }

    @Test
    void keys_are_uploaded_at_three_depths_read_back_and_deleted_with_counts() {
        put("/!r:test/s1", key(1, 0, false));
        put("/!r:test", Map.of("sessions", Map.of("s2", key(1, 0, false))));
        Reply all = put("", Map.of("rooms", Map.of("!q:test", Map.of("sessions", Map.of("a", key(1, 0, false))))));
        assertThat(all.json().toString()).isEqualTo("{\"etag\":\"3\",\"count\":3}");
        assertThat(get("").path("rooms").path("!r:test").path("sessions").size()).isEqualTo(2);
        assertThat(get("/!nothing:test").toString()).isEqualTo("{\"sessions\":{}}");
        JsonNode info = fx.c.get(V3 + "/room_keys/version").token(alice).send().json();
        assertThat(info.path("count").asInt()).isEqualTo(3);
        assertThat(info.path("etag").asText()).isEqualTo("3");
        Reply none = fx.c.delete(V3 + "/room_keys/keys/!nothing:test?version=" + version).token(alice).send();
        assertThat(none.json().toString()).as("a delete is a change, even of nothing")
                .isEqualTo("{\"etag\":\"4\",\"count\":3}");
        fx.c.delete(V3 + "/room_keys/keys/!r:test?version=" + version).token(alice).send();
        assertThat(get("").path("rooms").fieldNames()).toIterable().containsExactly("!q:test");
        assertThat(fx.c.get(V3 + "/room_keys/keys/!r:test/s1?version=" + version).token(alice).send().errcode())
                .isEqualTo("M_NOT_FOUND");
    }

    @Test
    void only_the_current_version_takes_keys_and_a_refusal_names_it() {
        String second = fx.c.post(V3 + "/room_keys/version").token(alice).json(BACKUP).send().str("version");
        Reply stale = put("/!r:test/s1", key(1, 0, false));
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.errcode()).isEqualTo("M_WRONG_ROOM_KEYS_VERSION");
        assertThat(stale.str("current_version")).isEqualTo(second);
        Reply unknown = fx.c.put(V3 + "/room_keys/keys/!r:test/s1?version=99").token(alice).json(key(1, 0, false))
                .send();
        assertThat(unknown.error()).isEqualTo("Version '99' not found");
    }

    @Test
    void a_body_synapse_1_94_fails_on_is_refused_whole_with_a_400() {
        Reply noRooms = put("", Map.of());
        assertThat(noRooms.status()).isEqualTo(400);
        assertThat(noRooms.errcode()).isEqualTo("M_BAD_JSON");
        Reply mixed = put("/!r:test", Map.of("sessions", Map.of("good", key(1, 0, false),
                "bad", Map.of("is_verified", false))));
        assertThat(mixed.errcode()).isEqualTo("M_BAD_JSON");
        assertThat(get("").path("rooms").isEmpty()).as("nothing of a refused upload is stored").isTrue();
        Reply notBoolean = put("/!r:test/s1", Map.of("first_message_index", 1, "forwarded_count", 0,
                "is_verified", "yes", "session_data", "x"));
        assertThat(notBoolean.error()).isEqualTo("is_verified must be a boolean in keys for session s1 inroom !r:test");
    }

    @Test
    void deactivation_deletes_the_backups() {
        put("/!r:test/s1", key(1, 0, false));
        Reply challenge = fx.c.post(V3 + "/account/deactivate").token(alice).json(Map.of()).send();
        Reply done = fx.c.post(V3 + "/account/deactivate").token(alice).json(Map.of("auth", Map.of(
                "type", "m.login.password", "session", challenge.str("session"),
                "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "pw-alice"))).send();
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        // A deactivated user cannot ask any more; the model says what is left.
        var model = CoreAccess.core(fx.hs).model();
        assertThat(model.read(() -> model.keyBackups().current("@alice:test"))).isNull();
    }
}
