package dev.fakehomeserver.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small appservice of the tests' own, on the JDK's HTTP server: correct by default, or breaking exactly one
 * rule of the contract ({@link Breaks}), so that each conformance check is shown to fail when it should. It reacts
 * to a message "probe" by joining the room and answering "pong" (before it answers the transaction, so the
 * reaction is in the homeserver's journal by then), registers users it is asked about and creates rooms for
 * aliases it is asked about.
 */
final class TestAppservice implements AutoCloseable {
    /** The one rule broken. */
    enum Breaks {
        NOTHING, ACCEPTS_NO_TOKEN, WRONG_TOKEN_401_AUTH_FAILED, REFUSES_HEADER_TOKEN, REFUSES_QUERY_TOKEN,
        PROCESSES_REPEATED_TXN, EMPTY_2XX_BODY, REFUSES_EMPTY_EVENTS, REFUSES_OVER_50_EVENTS, REFUSES_EPHEMERAL,
        FAILS_UNKNOWN_EVENT_TYPES, UNKNOWN_PATH_500, WRONG_METHOD_404, LEGACY_PATH_500, LEGACY_PATH_SKIPS_TOKEN,
        USER_QUERY_200_WITHOUT_CREATING, ALIAS_QUERY_200_WITHOUT_CREATING, OUTSIDE_NAMESPACE_200,
        PROTOCOL_WITHOUT_INSTANCES, LOOKUP_NOT_A_LIST, PING_EMPTY_BODY, TXN_IDS_AS_A_COUNTER, SLOW_UNKNOWN_PATH
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String hsUrl;
    private final String asToken;
    private final String hsToken;
    private final String prefix;
    private final String serverName;
    private final Breaks breaks;
    private final AtomicLong txn = new AtomicLong();
    private final AtomicLong highestTxn = new AtomicLong(-1);
    /** Holds a slow answer until the homeserver sends anything else (it does once it gave up) or the close. */
    private final AtomicReference<CountDownLatch> held = new AtomicReference<>(new CountDownLatch(0));
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1000;
        }
    }));

    /** Serves the namespace {@code @<prefix>_.*} / {@code #<prefix>_.*}. */
    TestAppservice(String hsUrl, String serverName, String prefix, String asToken, String hsToken, Breaks breaks)
            throws IOException {
        this.hsUrl = hsUrl;
        this.serverName = serverName;
        this.prefix = prefix;
        this.asToken = asToken;
        this.hsToken = hsToken;
        this.breaks = breaks;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private boolean is(Breaks b) {
        return breaks == b;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            held.get().countDown();
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean legacy = path.startsWith("/transactions/");
            if (legacy && is(Breaks.LEGACY_PATH_500)) {
                answer(ex, 500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"legacy path broken\"}");
                return;
            }
            if (!(legacy && is(Breaks.LEGACY_PATH_SKIPS_TOKEN)) && !authorised(ex)) {
                return;
            }
            route(ex, legacy ? "/_matrix/app/v1" + path : path, method, body);
        }
    }

    private boolean authorised(HttpExchange ex) throws IOException {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String fromHeader = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
        String fromQuery = query(ex, "access_token");
        String presented = fromHeader != null && !is(Breaks.REFUSES_HEADER_TOKEN) ? fromHeader
                : is(Breaks.REFUSES_QUERY_TOKEN) ? null : fromQuery;
        if (presented == null && fromHeader == null && fromQuery == null) {
            if (is(Breaks.ACCEPTS_NO_TOKEN)) {
                return true;
            }
            answer(ex, 401, "{\"errcode\":\"M_UNAUTHORIZED\",\"error\":\"no token\"}");
            return false;
        }
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                hsToken.getBytes(StandardCharsets.UTF_8))) {
            if (is(Breaks.WRONG_TOKEN_401_AUTH_FAILED)) {
                answer(ex, 401, "{\"errcode\":\"AUTH_FAILED\",\"error\":\"bad token\"}"); // as matrix-bot-sdk
            } else {
                answer(ex, 403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"bad token\"}");
            }
            return false;
        }
        return true;
    }

    private void route(HttpExchange ex, String path, String method, byte[] body) throws IOException {
        String v1 = "/_matrix/app/v1/";
        if (path.startsWith(v1 + "transactions/")) {
            if (!method.equals("PUT")) {
                wrongMethod(ex);
            } else {
                transaction(ex, path.substring((v1 + "transactions/").length()), JSON.readTree(body));
            }
        } else if (path.startsWith(v1 + "users/") && method.equals("GET")) {
            String user = URLDecoder.decode(path.substring((v1 + "users/").length()), StandardCharsets.UTF_8);
            query(ex, user, "@" + prefix + "_", () -> call("POST", "/_matrix/client/v3/register", Map.of(
                    "type", "m.login.application_service", "username", user.substring(1, user.indexOf(':')),
                    "inhibit_login", true)), Breaks.USER_QUERY_200_WITHOUT_CREATING);
        } else if (path.startsWith(v1 + "rooms/") && method.equals("GET")) {
            String alias = URLDecoder.decode(path.substring((v1 + "rooms/").length()), StandardCharsets.UTF_8);
            query(ex, alias, "#" + prefix + "_", () -> call("POST", "/_matrix/client/v3/createRoom", Map.of(
                    "room_alias_name", alias.substring(1, alias.indexOf(':')), "preset", "public_chat")),
                    Breaks.ALIAS_QUERY_200_WITHOUT_CREATING);
        } else if (path.equals(v1 + "ping") && method.equals("POST")) {
            answer(ex, 200, is(Breaks.PING_EMPTY_BODY) ? "" : "{}");
        } else if (path.startsWith(v1 + "thirdparty/protocol/") && method.equals("GET")) {
            answer(ex, 200, is(Breaks.PROTOCOL_WITHOUT_INSTANCES) ? "{\"user_fields\":[]}"
                    : "{\"user_fields\":[],\"location_fields\":[],\"icon\":\"\",\"field_types\":{},\"instances\":[]}");
        } else if (path.startsWith(v1 + "thirdparty/") && method.equals("GET")) {
            answer(ex, 200, is(Breaks.LOOKUP_NOT_A_LIST) ? "{}" : "[]");
        } else if (path.startsWith(v1 + "users/") || path.startsWith(v1 + "rooms/") || path.equals(v1 + "ping")) {
            wrongMethod(ex);
        } else if (is(Breaks.UNKNOWN_PATH_500)) {
            answer(ex, 500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"no route\"}");
        } else {
            if (is(Breaks.SLOW_UNKNOWN_PATH)) {
                holdUntilTheHomeserverMovesOn();
            }
            answer(ex, 404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
        }
    }

    private void wrongMethod(HttpExchange ex) throws IOException {
        if (is(Breaks.WRONG_METHOD_404)) {
            answer(ex, 404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
        } else {
            answer(ex, 405, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unsupported method\"}");
        }
    }

    private void query(HttpExchange ex, String name, String ours, Runnable create, Breaks lie) throws IOException {
        if (!name.startsWith(ours) || !name.endsWith(":" + serverName)) {
            answer(ex, is(Breaks.OUTSIDE_NAMESPACE_200) ? 200 : 404,
                    is(Breaks.OUTSIDE_NAMESPACE_200) ? "{}" : "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"not ours\"}");
            return;
        }
        if (!is(lie)) {
            create.run();
        }
        answer(ex, 200, "{}");
    }

    private void transaction(HttpExchange ex, String txnId, JsonNode body) throws IOException {
        if (is(Breaks.TXN_IDS_AS_A_COUNTER)) {
            long id = Long.parseLong(txnId);
            if (id <= highestTxn.get()) {
                answer(ex, 200, "{}");
                return;
            }
            highestTxn.set(id);
        }
        JsonNode events = body.path("events");
        if (events.isEmpty() && is(Breaks.REFUSES_EMPTY_EVENTS)) {
            answer(ex, 400, "{\"errcode\":\"M_BAD_JSON\",\"error\":\"no events\"}");
            return;
        }
        if (events.size() > 50 && is(Breaks.REFUSES_OVER_50_EVENTS)) {
            answer(ex, 413, "{\"errcode\":\"M_TOO_LARGE\",\"error\":\"too many events\"}");
            return;
        }
        if (body.has("ephemeral") && !body.path("ephemeral").isEmpty() && is(Breaks.REFUSES_EPHEMERAL)) {
            answer(ex, 400, "{\"errcode\":\"M_BAD_JSON\",\"error\":\"ephemeral?\"}");
            return;
        }
        for (JsonNode e : events) {
            if (!e.path("type").asText().startsWith("m.") && is(Breaks.FAILS_UNKNOWN_EVENT_TYPES)) {
                answer(ex, 500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"unknown event type\"}");
                return;
            }
        }
        if (seen.contains(txnId) && !is(Breaks.PROCESSES_REPEATED_TXN)) {
            answer(ex, 200, "{}");
            return;
        }
        for (JsonNode e : events) {
            react(e);
        }
        seen.add(txnId);
        answer(ex, 200, is(Breaks.EMPTY_2XX_BODY) ? "" : "{}");
    }

    /** "probe" from someone else: join the room and answer "pong". */
    private void react(JsonNode e) {
        if (!e.path("type").asText().equals("m.room.message") || e.path("sender").asText().startsWith("@" + prefix)
                || !e.path("content").path("body").asText().equals("probe")) {
            return;
        }
        String room = URLEncoder.encode(e.path("room_id").asText(), StandardCharsets.UTF_8);
        call("POST", "/_matrix/client/v3/join/" + room, Map.of());
        call("PUT", "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/t" + txn.incrementAndGet()
                + "-" + System.nanoTime(), Map.of("msgtype", "m.text", "body", "pong"));
    }

    private void call(String method, String path, Map<String, ?> body) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(hsUrl + path)).header("Authorization", "Bearer " + asToken)
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Slower than any timeout, without a clock: the answer waits until the homeserver sends another request,
     * which the kit does only after giving up on this one, or until the appservice closes. (The bound only
     * keeps a broken run from holding a thread for ever.)
     */
    private void holdUntilTheHomeserverMovesOn() {
        CountDownLatch mine = new CountDownLatch(1);
        held.getAndSet(mine).countDown();
        try {
            mine.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            if (pair.startsWith(key + "=")) {
                return URLDecoder.decode(pair.substring(key.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        held.get().countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
