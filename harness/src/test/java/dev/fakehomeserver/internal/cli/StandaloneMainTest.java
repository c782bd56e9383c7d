package dev.fakehomeserver.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, in process: {@code StandaloneMain.run} returns the exit code instead of exiting. */
class StandaloneMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<Homeserver> started = new AtomicReference<>();
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (started.get() != null) {
            started.get().close();
        }
    }

    private int run(Map<String, String> env, String... args) {
        return StandaloneMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), started::set);
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private Path weather(String exclusive) throws IOException {
        Path f = dir.resolve("weather.yaml");
        Files.writeString(f, String.join("\n", "id: weather", "url: http://127.0.0.1:9077",
                "as_token: as_token_weather_0123456789", "hs_token: hs_token_weather_0123456789",
                "sender_localpart: weatherbot", "namespaces:", "  users:", "    - exclusive: " + exclusive,
                "      regex: '@weather_.*:test'", ""));
        return f;
    }

    @Test
    void help_lists_every_flag_and_exits_0() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port", "--bind", "--server-name",
                "--registration", "--as-url", "--no-exclusive-user-rule", "--no-namespace-conflict-check",
                "--closed-registration", "--control-token", "--no-control-token", "--verbose", "FAKEHS_");
        assertThat(started.get()).isNull();
    }

    @Test
    void version_prints_the_maven_version() {
        assertThat(run(Map.of(), "--version")).isZero();
        // From the filtered resource, so target/classes has it as the jar does (no "development build").
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).matches("fake-homeserver \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void an_unknown_flag_exits_2_with_one_line() {
        assertThat(run(Map.of(), "--prot", "8008")).isEqualTo(2);
        assertThat(errLines()).hasSize(1);
        assertThat(errLines().get(0)).contains("--prot");
    }

    @Test
    void a_port_that_is_not_a_number_exits_2_with_one_line() {
        assertThat(run(Map.of(), "--port", "eighty")).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("--port").contains("eighty");
    }

    @Test
    void a_bad_registration_exits_2_with_one_line_naming_file_field_and_line() throws IOException {
        Path bad = weather("\"true\"");
        assertThat(run(Map.of(), "--port", "0", "--registration", bad.toString())).isEqualTo(2);
        assertThat(errLines()).singleElement().asString()
                .contains(bad.toString()).contains("namespaces.users[0].exclusive").contains("line 8");
    }

    @Test
    void a_missing_registration_file_exits_2_naming_it() {
        Path missing = dir.resolve("nope.yaml");
        assertThat(run(Map.of(), "--registration", missing.toString())).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains(missing.toString());
    }

    @Test
    void as_url_for_an_unknown_appservice_exits_2() throws IOException {
        assertThat(run(Map.of(), "--port", "0", "--registration", weather("true").toString(),
                "--as-url", "other=http://127.0.0.1:1")).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("other").contains("weather");
    }

    @Test
    void prints_the_registrations_lint_in_the_banner_before_the_listening_line() throws IOException {
        Path greedy = dir.resolve("greedy.yaml");
        Files.writeString(greedy, String.join("\n", "id: greedy", "url: http://127.0.0.1:9078",
                "as_token: as_token_greedy_0123456789", "hs_token: hs_token_greedy_0123456789",
                "sender_localpart: greedybot", "namespaces:", "  users:", "    - exclusive: false",
                "      regex: '@.*'", ""));
        assertThat(run(Map.of(), "--port", "0", "--registration", greedy.toString())).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        int warning = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  warning: appservice greedy, namespaces.users[0].regex (line 9): regex '@.*'")
                    && lines.get(i).contains("matches every user")) {
                warning = i;
            }
        }
        assertThat(warning).as(String.join("\n", lines)).isNotNegative();
        assertThat(lines.subList(warning, lines.size())).anyMatch(l -> l.startsWith("fake-homeserver listening on"));
        assertThat(lines).filteredOn(l -> l.startsWith("  warning:")).hasSize(started.get().lint().size());
    }

    @Test
    void starts_with_the_registration_its_as_url_and_a_control_token() throws IOException {
        int code = run(Map.of(), "--port", "0", "--registration", weather("true").toString(),
                "--as-url", "weather=http://127.0.0.1:4567", "--control-token", "tok", "--server-name", "test");
        assertThat(code).isZero();
        Homeserver hs = started.get();
        assertThat(hs.registration("weather").url()).isEqualTo("http://127.0.0.1:4567");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("listening on " + hs.url())
                .contains("Authorization: Bearer tok");
        TestClient c = new TestClient(hs.url());
        assertThat(c.get("/_fakehs/v1/users").send().status()).isEqualTo(401);
        assertThat(c.get("/_fakehs/v1/users").token("tok").send().status()).isEqualTo(200);
    }

    @Test
    void without_a_registration_generates_an_example_one_and_prints_where() {
        assertThat(run(Map.of(), "--port", "0", "--no-control-token")).isZero();
        Homeserver hs = started.get();
        assertThat(hs.registrations()).singleElement().extracting(r -> r.id()).isEqualTo("example");
        Path file = Path.of(hs.registration("example").source());
        assertThat(file).exists();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(file.toString()).contains("(no token)");
        assertThat(new TestClient(hs.url()).get("/_fakehs/v1/users").send().status()).isEqualTo(200);
    }

    @Test
    void seed_fixes_the_ids_prints_it_and_a_random_one_says_how_to_replay() {
        assertThat(run(Map.of(), "--port", "0", "--no-control-token", "--seed", "42")).isZero();
        Homeserver hs = started.get();
        assertThat(hs.randomSeed()).isEqualTo(42);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("  seed 42 (fixed: tokens follow it)\n");
        String room = hs.user("@alice:test").createRoom();
        try (Homeserver same = Homeserver.builder().randomSeed(42).start()) {
            assertThat(same.user("@alice:test").createRoom()).isEqualTo(room);
        }
        hs.close();
        out.reset();
        assertThat(run(Map.of(), "--port", "0", "--no-control-token")).isZero();
        long drawn = started.get().randomSeed();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("  seed " + drawn + " (random; replay a run with --seed " + drawn + ")\n");
        assertThat(run(Map.of(), "--seed", "forty-two")).isEqualTo(2);
    }

    private Path scene(String name) throws IOException {
        Path f = dir.resolve(name);
        try (Homeserver source = Homeserver.builder().start()) {
            source.user("@alice:test").createRoom(dev.fakehomeserver.events.RoomOptions.create().name("Lobby")
                    .alias("lobby"));
            source.user("@alice:test").send("#lobby:test", "from the scene");
            source.exportScene(f);
        }
        return f;
    }

    @Test
    void scene_loads_the_file_at_start_and_again_after_every_reset() throws IOException {
        Path scene = scene("scene.yaml");
        assertThat(run(Map.of(), "--port", "0", "--no-control-token", "--scene", scene.toString())).isZero();
        Homeserver hs = started.get();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("scene " + scene + " loaded");
        assertThat(hs.room("#lobby:test").messages()).extracting(m -> m.body()).containsExactly("from the scene");
        hs.user("@alice:test").send("#lobby:test", "later");
        hs.reset();
        assertThat(hs.room("#lobby:test").messages()).extracting(m -> m.body()).containsExactly("from the scene");
    }

    @Test
    void a_bad_scene_exits_2_with_one_line_naming_file_and_line() throws IOException {
        Path bad = dir.resolve("bad-scene.yaml");
        Files.writeString(bad, "rooms:\n  - creator: \"@alice:test\"\n    preset: publik\n");
        assertThat(run(Map.of(), "--port", "0", "--scene", bad.toString())).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().startsWith("fake-homeserver: bad scene: " + bad)
                .contains("line 3", "rooms[0].preset");
        assertThat(started.get()).isNull();
    }

    @Test
    void a_scene_whose_history_is_refused_exits_2_naming_the_event_line() throws IOException {
        Path bad = dir.resolve("refused.yaml");
        Files.writeString(bad, String.join("\n", "rooms:", "  - creator: \"@alice:test\"", "    events:",
                "      - {sender: \"@alice:test\", type: m.room.create, state_key: \"\", content: {}}",
                "      - {sender: \"@bob:test\", type: m.room.message, content: {body: hi}}", ""));
        assertThat(run(Map.of(), "--port", "0", "--scene", bad.toString())).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().startsWith("fake-homeserver: bad scene: " + bad)
                .contains("line 5", "M_FORBIDDEN");
    }

    @Test
    void state_file_is_loaded_at_start_when_it_exists() throws IOException {
        Path state = scene("state.yaml");
        assertThat(run(Map.of(), "--port", "0", "--no-control-token", "--state-file", state.toString())).isZero();
        Homeserver hs = started.get();
        assertThat(hs.room("#lobby:test").messages()).hasSize(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("state file " + state + ": 1 rooms loaded");
        // Loaded once: a reset goes back to an empty server (or to the --scene files), not to the last session.
        hs.reset();
        assertThat(hs.rooms()).isEmpty();
    }

    @Test
    void scene_and_state_file_together_exit_2() throws IOException {
        Path scene = scene("both.yaml");
        assertThat(run(Map.of(), "--port", "0", "--scene", scene.toString(), "--state-file", scene.toString()))
                .isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("--scene", "--state-file", "not both");
    }

    @Test
    void a_missing_state_file_starts_empty_and_a_bad_one_exits_2() throws IOException {
        Path missing = dir.resolve("new-state.yaml");
        assertThat(run(Map.of(), "--port", "0", "--state-file", missing.toString())).isZero();
        assertThat(started.get().rooms()).isEmpty();
        started.get().close();
        started.set(null);
        Path bad = dir.resolve("bad-state.yaml");
        Files.writeString(bad, "rooms: [1]\n");
        assertThat(run(Map.of(), "--port", "0", "--state-file", bad.toString())).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("bad state file").contains(bad.toString());
    }

    @Test
    void reads_flags_from_the_environment_and_lets_flags_win() {
        assertThat(run(Map.of("FAKEHS_PORT", "0", "FAKEHS_SERVER_NAME", "env.example",
                "FAKEHS_CONTROL_TOKEN", "from-env"), "--control-token", "from-flag")).isZero();
        Homeserver hs = started.get();
        assertThat(hs.serverName()).isEqualTo("env.example");
        assertThat(new TestClient(hs.url()).get("/_fakehs/v1/users").token("from-flag").send().status())
                .isEqualTo(200);
    }

    @Test
    void a_bad_value_in_the_environment_exits_2() {
        assertThat(run(Map.of("FAKEHS_PORT", "many"))).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().contains("many");
    }

    @Test
    void closed_registration_refuses_ordinary_users() {
        assertThat(run(Map.of(), "--port", "0", "--closed-registration")).isZero();
        TestClient.Reply r = new TestClient(started.get().url()).post("/_matrix/client/v3/register")
                .json(Map.of("username", "alice", "password", "pw", "auth", Map.of("type", "m.login.dummy"))).send();
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void verbose_prints_one_line_per_request_without_tokens() {
        assertThat(run(Map.of(), "--port", "0", "--verbose")).isZero();
        new TestClient(started.get().url()).get("/_matrix/client/v3/account/whoami").query("access_token", "secret")
                .send();
        org.awaitility.Awaitility.await().until(() -> out.toString(StandardCharsets.UTF_8)
                .contains("GET /_matrix/client/v3/account/whoami -> 401"));
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("secret");
    }

    @Test
    void verbose_prints_one_line_per_request_sent_to_an_appservice_without_the_hs_token() throws IOException {
        try (var as = dev.fakehomeserver.testing.ScriptedAppservice.start()) {
            assertThat(run(Map.of(), "--port", "0", "--verbose", "--registration", weather("true").toString(),
                    "--as-url", "weather=" + as.url(), "--no-control-token")).isZero();
            TestClient c = new TestClient(started.get().url());
            c.post("/_fakehs/v1/rooms").json(Map.of("creator", "@weather_bob:test")).send();
            org.awaitility.Awaitility.await().until(() -> out.toString(StandardCharsets.UTF_8)
                    .contains("fake-homeserver: to appservice #1 weather PUT /_matrix/app/v1/transactions/1 (txn 1,"
                            + " attempt 1, "));
            org.awaitility.Awaitility.await().until(() -> out.toString(StandardCharsets.UTF_8).lines()
                    .anyMatch(l -> l.startsWith("fake-homeserver: to appservice #1 ") && l.endsWith("-> 200")));
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("hs_token_weather");
        }
    }

    @Test
    void escapes_control_characters_of_a_registration_in_every_line_it_prints() throws IOException {
        // Issue 17, log injection: a url with CR LF forged a banner line of its own, an ESC could repaint a terminal.
        Path f = dir.resolve("forged.yaml");
        Files.writeString(f, String.join("\n", "id: forged",
                "url: \"http://127.0.0.1:9077/\\r\\nfake-homeserver listening on http://evil.example \\e[2J\"",
                "as_token: as_token_forged_0123456789", "hs_token: hs_token_forged_0123456789",
                "sender_localpart: forgedbot", "namespaces:", "  users:", "    - exclusive: true",
                "      regex: '@forged_.*:test'", ""));
        assertThat(run(Map.of(), "--port", "0", "--verbose", "--registration", f.toString(), "--no-control-token"))
                .isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).noneMatch(l -> l.startsWith("fake-homeserver listening on http://evil"));
        assertThat(printed).doesNotContain("\u001b").contains("http://127.0.0.1:9077/\\r\\nfake-homeserver listening "
                + "on http://evil.example \\u001b[2J");
    }
}
