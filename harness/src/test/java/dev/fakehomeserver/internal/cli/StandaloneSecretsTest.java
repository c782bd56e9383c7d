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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server's exposure: it binds to loopback unless told otherwise, its control API refuses
 * requests without the control token, and what it prints (banner and {@code --verbose} request lines) never
 * shows the registration's tokens or a user's, only the control token, on the one line meant to hand it over.
 */
class StandaloneSecretsTest {
    private static final String AS_TOKEN = "as_token_weather_secret_0123456789";
    private static final String HS_TOKEN = "hs_token_weather_secret_0123456789";
    private static final String CONTROL = "control-secret-42";
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

    private Homeserver start(String... args) {
        int code = StandaloneMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), started::set);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return started.get();
    }

    private Path registration() throws IOException {
        Path f = dir.resolve("weather.yaml");
        Files.writeString(f, String.join("\n", "id: weather", "url: http://127.0.0.1:9", "as_token: " + AS_TOKEN,
                "hs_token: " + HS_TOKEN, "sender_localpart: weatherbot", "namespaces:", "  users:",
                "    - exclusive: true", "      regex: '@weather_.*:test'", ""));
        return f;
    }

    @Test
    void binds_to_loopback_by_default() throws IOException {
        Homeserver hs = start("--port", "0", "--registration", registration().toString());
        assertThat(hs.url()).startsWith("http://127.0.0.1:");
    }

    @Test
    void the_control_api_refuses_requests_without_its_token_or_with_another() throws IOException {
        Homeserver hs = start("--port", "0", "--registration", registration().toString(), "--control-token", CONTROL);
        TestClient c = new TestClient(hs.url());
        for (String path : List.of("/_fakehs/v1/users", "/_fakehs/v1/rooms", "/_fakehs/v1/journal")) {
            assertThat(c.get(path).send().status()).as(path).isEqualTo(401);
            assertThat(c.get(path).token("not-" + CONTROL).send().status()).as(path).isEqualTo(401);
            assertThat(c.get(path).token(AS_TOKEN).send().status()).as(path + " with the as_token").isEqualTo(401);
        }
        assertThat(c.get("/_fakehs/v1/users").token(CONTROL).send().status()).isEqualTo(200);
    }

    @Test
    void prints_no_token_but_the_control_token_on_its_own_line() throws IOException {
        Homeserver hs = start("--port", "0", "--registration", registration().toString(), "--control-token", CONTROL,
                "--verbose");
        TestClient c = new TestClient(hs.url());
        String user = c.post("/_matrix/client/v3/register").json(Map.of("username", "alice", "password", "pw-alice",
                "auth", Map.of("type", "m.login.dummy"))).send().str("access_token");
        c.get("/_matrix/client/v3/account/whoami").query("access_token", user).send();
        c.get("/_matrix/client/v3/account/whoami").query("access_token", AS_TOKEN).send();
        c.get("/_fakehs/v1/users").query("access_token", CONTROL).send();
        c.get("/_fakehs/v1/users").token(CONTROL).send();
        Awaitility.await().until(() -> out.toString(StandardCharsets.UTF_8).contains("GET /_fakehs/v1/users"));

        List<String> lines = (out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).lines()
                .toList();
        assertThat(lines).hasSizeGreaterThan(4);
        for (String secret : List.of(AS_TOKEN, HS_TOKEN, user, "pw-alice")) {
            assertThat(lines).noneMatch(l -> l.contains(secret));
        }
        assertThat(lines.stream().filter(l -> l.contains(CONTROL)).toList()).singleElement().asString()
                .contains("control API").contains("Authorization: Bearer " + CONTROL);
    }
}
