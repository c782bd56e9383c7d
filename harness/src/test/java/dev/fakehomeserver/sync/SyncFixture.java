package dev.fakehomeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sync helpers over real HTTP for the tests of this package. */
final class SyncFixture {
    static final String V3 = "/_matrix/client/v3";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient ASYNC = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SyncFixture() {}

    /** A sync that must answer 200; {@code query} alternates names and values. */
    static JsonNode sync(Fixture fx, String token, String... query) {
        TestClient.Request r = fx.c.get(V3 + "/sync").token(token);
        for (int i = 0; i < query.length; i += 2) {
            r.query(query[i], query[i + 1]);
        }
        TestClient.Reply reply = r.send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    /** A sync sent without waiting for its answer (a long poll). */
    static CompletableFuture<JsonNode> syncAsync(Fixture fx, String token, String since, long timeoutMs) {
        String url = fx.hs.url() + V3 + "/sync?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)
                + "&timeout=" + timeoutMs;
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build();
        return ASYNC.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            try {
                return MAPPER.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Logs in with password {@code pw-<localpart>} (what {@link Fixture#register} sets) on a new device; the token. */
    static String login(Fixture fx, String localpart, String deviceId) {
        TestClient.Reply r = fx.c.post(V3 + "/login").json(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", localpart), "password", "pw-" + localpart,
                "device_id", deviceId)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("access_token");
    }

    static JsonNode joined(JsonNode sync, String roomId) {
        return sync.path("rooms").path("join").path(roomId);
    }

    /** The bodies of the messages in a joined room's timeline. */
    static java.util.List<String> timelineBodies(JsonNode sync, String roomId) {
        return Fixture.bodies(joined(sync, roomId).path("timeline").path("events"));
    }
}
