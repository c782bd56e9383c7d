package dev.fakehomeserver.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scenario's appservice: a bare Undertow handler that answers each pushed {@code m.room.message} (other than
 * its ghost's own) by sending {@code "re: " + body} into the same room as its ghost {@value #GHOST}, through the
 * client API with its as_token, as a bridge or bot does. The transaction is answered at once; the reply goes out
 * from the bot's one worker thread with the JDK client's blocking {@code send}, so the IO thread never waits on the
 * homeserver. (Not {@code sendAsync}: on a 2-core machine the JDK client starts a new thread for every answer of
 * an async send, because the common pool there has a single worker, and the bot would time that, not the fake.)
 */
final class ReplyBot implements AutoCloseable {
    static final String GHOST = "@bench_ghost:test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GHOST_QUERY = "?user_id=" + URLEncoder.encode(GHOST, StandardCharsets.UTF_8);

    private final Undertow server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "bench-reply-bot");
                t.setDaemon(true);
                return t;
            });
    private final AtomicLong txn = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile String homeserver;
    private volatile String asToken;

    ReplyBot() {
        server = BareUndertow.start(0, ex -> ex.getRequestReceiver().receiveFullBytes((e, body) -> {
            try {
                for (JsonNode ev : JSON.readTree(body).path("events")) {
                    if ("m.room.message".equals(ev.path("type").asText())
                            && !GHOST.equals(ev.path("sender").asText())) {
                        reply(ev.path("room_id").asText(), "re: " + ev.path("content").path("body").asText());
                    }
                }
            } catch (IOException bad) {
                e.setStatusCode(400);
            }
            e.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            e.getResponseSender().send("{}");
        }));
    }

    String url() {
        return "http://127.0.0.1:" + BareUndertow.port(server);
    }

    /** Where replies go: the homeserver's url and the appservice's as_token (a new server per JUnit class). */
    void target(String homeserverUrl, String token) {
        this.homeserver = homeserverUrl;
        this.asToken = token;
    }

    /** The first reply that failed (status or exception), or null. */
    String failure() {
        return failure.get();
    }

    private void reply(String room, String text) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("msgtype", "m.text", "body", text));
        HttpRequest req = HttpRequest.newBuilder(URI.create(homeserver + "/_matrix/client/v3/rooms/"
                        + URLEncoder.encode(room, StandardCharsets.UTF_8) + "/send/m.room.message/r"
                        + System.nanoTime() + "-" + txn.incrementAndGet() + GHOST_QUERY))
                .header("Authorization", "Bearer " + asToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        worker.execute(() -> {
            try {
                HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    failure.compareAndSet(null, r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
                }
            } catch (IOException | InterruptedException err) {
                failure.compareAndSet(null, err.toString());
            }
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
        server.stop();
    }
}
