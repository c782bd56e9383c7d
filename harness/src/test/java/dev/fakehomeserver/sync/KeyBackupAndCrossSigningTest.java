package dev.fakehomeserver.sync;

import static dev.fakehomeserver.sync.SyncFixture.V3;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Key backup versions, cross-signing uploads and the stricter key checks, as Synapse 1.94 answered them
 * (recorded in conversations/keys).
 */
class KeyBackupAndCrossSigningTest {
    private static final Map<String, Object> BACKUP = Map.of("algorithm", "m.megolm_backup.v1.curve25519-aes-sha2",
            "auth_data", Map.of("public_key", "pub"));
    private static final String MASTER = "M" + "A".repeat(42);
    @AutoClose
    private final Fixture fx = Fixture.start();
    private final String alice = fx.register("alice");
    private final String bob = fx.register("bob");

    @Test
    void a_backup_version_is_created_read_updated_and_deleted() {
        assertThat(fx.c.get(V3 + "/room_keys/version").token(alice).send().errcode()).isEqualTo("M_NOT_FOUND");
        String v = fx.c.post(V3 + "/room_keys/version").token(alice).json(BACKUP).send().str("version");
        assertThat(v).isEqualTo("1");
        JsonNode current = fx.c.get(V3 + "/room_keys/version").token(alice).send().json();
        assertThat(current.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("version", "algorithm", "auth_data", "etag", "count");
        assertThat(fx.c.get(V3 + "/room_keys/version").token(bob).send().status()).isEqualTo(404);
        Reply mismatch = fx.c.put(V3 + "/room_keys/version/" + v).token(alice)
                .json(Map.of("algorithm", "x", "auth_data", Map.of(), "version", "9")).send();
        assertThat(mismatch.error()).isEqualTo("Version in body does not match");
        Reply otherAlgorithm = fx.c.put(V3 + "/room_keys/version/" + v).token(alice)
                .json(Map.of("algorithm", "x", "auth_data", Map.of())).send();
        assertThat(otherAlgorithm.error()).isEqualTo("Algorithm does not match");
        assertThat(fx.c.delete(V3 + "/room_keys/version/" + v).token(alice).send().status()).isEqualTo(200);
        assertThat(fx.c.get(V3 + "/room_keys/version/" + v).token(alice).send().errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(fx.c.post(V3 + "/room_keys/version").token(alice).json(BACKUP).send().str("version"))
                .as("a deleted version's number is not given again").isEqualTo("2");
    }

    @Test
    void refuses_a_backup_without_algorithm_with_a_400_where_synapse_1_94_fails() {
        Reply r = fx.c.post(V3 + "/room_keys/version").token(alice).json(Map.of("auth_data", Map.of())).send();
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_MISSING_PARAM");
    }

    @Test
    void a_master_key_upload_needs_the_password_and_shows_in_key_queries() {
        Map<String, Object> master = Map.of("user_id", "@alice:test", "usage", List.of("master"),
                "keys", Map.of("ed25519:" + MASTER, MASTER));
        Reply challenge = fx.c.post(V3 + "/keys/device_signing/upload").token(alice)
                .json(Map.of("master_key", master)).send();
        assertThat(challenge.status()).isEqualTo(401);
        Map<String, Object> auth = Map.of("type", "m.login.password", "session", challenge.str("session"),
                "identifier", Map.of("type", "m.id.user", "user", "alice"), "password", "pw-alice");
        Reply done = fx.c.post(V3 + "/keys/device_signing/upload").token(alice)
                .json(Map.of("master_key", master, "auth", auth)).send();
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        JsonNode q = fx.c.post(V3 + "/keys/query").token(bob).json(Map.of("device_keys", Map.of("@alice:test", List.of())))
                .send().json();
        assertThat(q.path("master_keys").path("@alice:test").path("usage").get(0).asText()).isEqualTo("master");
    }

    @Test
    void refuses_a_master_key_of_another_user_or_without_one_ed25519_key() {
        Reply challenge = fx.c.post(V3 + "/keys/device_signing/upload").token(bob).json(Map.of()).send();
        Map<String, Object> auth = Map.of("type", "m.login.password", "session", challenge.str("session"),
                "identifier", Map.of("type", "m.id.user", "user", "bob"), "password", "pw-bob");
        Reply others = fx.c.post(V3 + "/keys/device_signing/upload").token(bob).json(Map.of("auth", auth,
                "master_key", Map.of("user_id", "@alice:test", "usage", List.of("master"),
                        "keys", Map.of("ed25519:" + MASTER, MASTER)))).send();
        assertThat(others.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(others.error()).isEqualTo("Invalid master key");
        Reply shortKey = fx.c.post(V3 + "/keys/device_signing/upload").token(bob).json(Map.of("auth", auth,
                "master_key", Map.of("user_id", "@bob:test", "usage", List.of("master"),
                        "keys", Map.of("ed25519:short", "short")))).send();
        assertThat(shortKey.error()).isEqualTo("Invalid master key");
    }

    @Test
    void signatures_without_a_signing_key_are_failures() {
        Reply r = fx.c.post(V3 + "/keys/signatures/upload").token(alice)
                .json(Map.of("@bob:test", Map.of("BOBDEV", Map.of()))).send();
        assertThat(r.json().path("failures").path("@bob:test").path("BOBDEV").path("errcode").asText())
                .isEqualTo("M_NOT_FOUND");
        assertThat(fx.c.post(V3 + "/keys/signatures/upload").token(alice).json(Map.of("@bob:test", "x")).send()
                .errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void refuses_a_one_time_key_id_uploaded_again_with_another_key() {
        Map<String, Object> first = Map.of("one_time_keys", Map.of("signed_curve25519:AAAAAQ", Map.of("key", "a")));
        assertThat(fx.c.post(V3 + "/keys/upload").token(alice).json(first).send().status()).isEqualTo(200);
        assertThat(fx.c.post(V3 + "/keys/upload").token(alice).json(first).send().status()).isEqualTo(200);
        Reply other = fx.c.post(V3 + "/keys/upload").token(alice)
                .json(Map.of("one_time_keys", Map.of("signed_curve25519:AAAAAQ", Map.of("key", "b")))).send();
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.errcode()).isEqualTo("M_UNKNOWN");
    }

    @Test
    void refuses_key_queries_naming_bad_user_ids_or_device_lists() {
        Reply notAList = fx.c.post(V3 + "/keys/query").token(alice)
                .json(Map.of("device_keys", Map.of("@alice:test", "DEV"))).send();
        assertThat(notAList.error()).isEqualTo("'device_keys' values must be a list of strings");
        Reply badId = fx.c.post(V3 + "/keys/query").token(alice).json(Map.of("device_keys", Map.of("alice", List.of())))
                .send();
        assertThat(badId.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void notifications_take_a_negative_limit_and_a_from_that_is_not_a_number() {
        assertThat(fx.c.get(V3 + "/notifications").token(alice).query("limit", "-1").send().status()).isEqualTo(200);
        assertThat(fx.c.get(V3 + "/notifications").token(alice).query("from", "abc").send().status()).isEqualTo(200);
        assertThat(fx.c.get(V3 + "/notifications").token(alice).query("limit", "many").send().errcode())
                .isEqualTo("M_INVALID_PARAM");
    }
}
