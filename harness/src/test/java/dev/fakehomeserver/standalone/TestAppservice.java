package dev.fakehomeserver.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny weather appservice written with the JDK only: it registers its ghost over the client API, and answers
 * {@code !weather CITY} messages it is pushed with {@code CITY: sunny}, sent as that ghost.
 */
final class TestAppservice implements AutoCloseable {
    static final String GHOST = "@weather_bot:test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpServer server;
    private final ExecutorService replies = Executors.newSingleThreadExecutor();
    private final AtomicInteger txn = new AtomicInteger();
    private final String asToken;
    private final String hsToken;
    private volatile String homeserver;

    TestAppservice(String asToken, String hsToken) throws IOException {
        this.asToken = asToken;
        this.hsToken = hsToken;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void homeserver(String url) {
        this.homeserver = url;
    }

    /** Registers the ghost: {@code POST /register} with {@code m.login.application_service}. */
    int registerGhost() throws IOException, InterruptedException {
        return call("POST", "/_matrix/client/v3/register", null,
                Map.of("type", "m.login.application_service", "username", "weather_bot")).statusCode();
    }

    int joinAsGhost(String roomId) throws IOException, InterruptedException {
        return call("POST", "/_matrix/client/v3/join/" + enc(roomId), GHOST, Map.of()).statusCode();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + hsToken).equals(auth)) {
                respond(ex, 403, "{\"errcode\":\"M_FORBIDDEN\"}");
                return;
            }
            if (ex.getRequestURI().getPath().contains("/transactions/")) {
                JsonNode txnBody = JSON.readTree(ex.getRequestBody());
                for (JsonNode e : txnBody.path("events")) {
                    String body = e.at("/content/body").asText("");
                    if (e.path("type").asText().equals("m.room.message") && body.startsWith("!weather ")
                            && !e.path("sender").asText().equals(GHOST)) {
                        String roomId = e.path("room_id").asText();
                        String city = body.substring("!weather ".length());
                        replies.submit(() -> reply(roomId, city));
                    }
                }
            }
            respond(ex, 200, "{}");
        }
    }

    private Void reply(String roomId, String city) throws IOException, InterruptedException {
        call("PUT", "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/r" + txn.incrementAndGet(),
                GHOST, Map.of("msgtype", "m.text", "body", city + ": sunny"));
        return null;
    }

    private HttpResponse<String> call(String method, String path, String asUser, Object body)
            throws IOException, InterruptedException {
        String url = homeserver + path + (asUser == null ? "" : "?user_id=" + enc(asUser));
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + asToken)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        server.stop(0);
        replies.shutdownNow();
    }
}
