package dev.fakehomeserver.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the real jar's exit can show: {@code --state-file} saves the scene when the process is stopped
 * (SIGTERM, as Ctrl-C or a supervisor) and the next start loads it; the example registration's temporary
 * directory is removed on exit.
 */
class StandaloneScenesIT {
    private static final Pattern GENERATED = Pattern.compile("generated an example registration at (\\S+)");
    @TempDir
    Path dir;

    @Test
    void state_file_keeps_a_scene_across_a_restart() throws Exception {
        Path state = dir.resolve("state.yaml");
        String roomId;
        try (StandaloneProcess fake = StandaloneProcess.start("--port", "0", "--control-token", "t",
                "--state-file", state.toString())) {
            TestClient c = new TestClient(fake.awaitUrl());
            roomId = c.post("/_fakehs/v1/rooms").token("t").json(Map.of("creator", "@alice:test", "name", "Kept"))
                    .send().str("room_id");
            c.post("/_fakehs/v1/rooms/" + TestClient.enc(roomId) + "/events").token("t").json(Map.of(
                    "sender", "@alice:test", "type", "m.room.message",
                    "content", Map.of("msgtype", "m.text", "body", "still here"))).send();
            fake.stop();   // exit status 143 (SIGTERM); the shutdown hook has run by then
            assertThat(fake.output()).contains("saved the scene (1 rooms, 1 users) to " + state);
        }
        assertThat(Files.readString(state)).contains(roomId, "still here");
        try (StandaloneProcess again = StandaloneProcess.start("--port", "0", "--control-token", "t",
                "--state-file", state.toString())) {
            TestClient c = new TestClient(again.awaitUrl());
            assertThat(again.output()).contains("1 rooms loaded");
            assertThat(c.get("/_fakehs/v1/rooms/" + TestClient.enc(roomId) + "/timeline?limit=1").token("t").send()
                    .json().at("/events/0/content/body").asText()).isEqualTo("still here");
        }
    }

    @Test
    void the_example_registration_and_its_directory_are_removed_on_exit() throws Exception {
        Path generated;
        try (StandaloneProcess fake = StandaloneProcess.start("--port", "0")) {
            fake.awaitUrl();
            Matcher m = GENERATED.matcher(fake.output());
            assertThat(m.find()).as(fake.output()).isTrue();
            generated = Path.of(m.group(1));
            assertThat(generated).exists();
            fake.stop();   // exit status 143 (SIGTERM); the shutdown hook has run by then
        }
        assertThat(generated).doesNotExist();
        assertThat(generated.getParent()).doesNotExist();
    }
}
