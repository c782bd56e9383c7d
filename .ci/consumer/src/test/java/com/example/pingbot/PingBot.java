package com.example.pingbot;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A consumer's own small appservice: joins the rooms its sender is invited to and answers "!ping" with "pong". */
final class PingBot implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger txn = new AtomicInteger();
    private final String homeserver;
    private final String asToken;
    private final String hsToken;

    PingBot(String homeserver, String asToken, String hsToken) throws IOException {
        this.homeserver = homeserver;
        this.asToken = asToken;
        this.hsToken = hsToken;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + hsToken).equals(auth)) {
                answer(ex, 403, "{\"errcode\":\"M_FORBIDDEN\"}");
                return;
            }
            if (ex.getRequestURI().getPath().startsWith("/_matrix/app/v1/transactions/") && body != null) {
                for (JsonNode e : body.path("events")) {
                    react(e);
                }
            }
            answer(ex, 200, "{}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void react(JsonNode e) throws IOException, InterruptedException {
        String room = URLEncoder.encode(e.path("room_id").asText(), StandardCharsets.UTF_8);
        if ("m.room.member".equals(e.path("type").asText()) && "@pingbot:test".equals(e.path("state_key").asText())
                && "invite".equals(e.path("content").path("membership").asText())) {
            call("POST", "/_matrix/client/v3/join/" + room, "{}");
        } else if ("m.room.message".equals(e.path("type").asText())
                && "!ping".equals(e.path("content").path("body").asText())) {
            call("PUT", "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/pong" + txn.incrementAndGet(),
                    "{\"msgtype\":\"m.text\",\"body\":\"pong\"}");
        }
    }

    private void call(String method, String path, String json) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(homeserver + path)).header("Authorization", "Bearer " + asToken)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
