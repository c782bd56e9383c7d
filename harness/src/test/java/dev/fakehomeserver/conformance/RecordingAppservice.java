package dev.fakehomeserver.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The appservice a listening family ({@code conversations/appservice-listening}) was recorded with, for the
 * replay: the Java twin of that family's {@code listener.py}, which answered the real Synapse. Change both
 * together. It serves two registrations by url path: {@code /flaky/...} answers 500 to everything; {@code
 * /bridge/...} checks the hs_token (header or {@code access_token} query, else 403 {@code M_FORBIDDEN}), then
 * answers ping 200 {@code {}} (a {@code transaction_id} of {@code "fail"} 500, {@code "forbid"} 403),
 * transactions 200 {@code {}}, the third-party protocol, locations and users of protocol {@code chat}, and 404
 * {@code M_NOT_FOUND} to anything else.
 *
 * <pre>{@code
 * try (RecordingAppservice as = new RecordingAppservice()) {
 *     Registration bridge = Registration.fromPath(dir.resolve("bridge.yaml")).withUrl(as.url() + "/bridge");
 * }
 * }</pre>
 */
final class RecordingAppservice implements AutoCloseable {
    private static final String HS_TOKEN = "hs_token_bridge_0123456789abcdef0123456789abcdef";
    private static final String APP = "/bridge/_matrix/app/v1";

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    RecordingAppservice() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}, without a path; the registrations add theirs. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonNode answer = route(ex, raw);
            byte[] data = Conversation.JSON.writeValueAsBytes(answer.get("body"));
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(answer.get("status").asInt(), data.length);
            ex.getResponseBody().write(data);
        }
    }

    private static JsonNode route(HttpExchange ex, byte[] raw) {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (path.startsWith("/flaky/")) {
            return error(500, "M_UNKNOWN", "flaky fails on purpose");
        }
        if (!path.startsWith(APP + "/")) {
            return error(404, "M_NOT_FOUND", "not here");
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + HS_TOKEN).equals(header) && !HS_TOKEN.equals(query(ex, "access_token"))) {
            return error(403, "M_FORBIDDEN", "wrong hs_token");
        }
        String p = path.substring(APP.length());
        if (method.equals("POST") && p.equals("/ping")) {
            String txn = body(raw).path("transaction_id").asText("");
            return switch (txn) {
                case "fail" -> error(500, "M_UNKNOWN", "ping fails on purpose");
                case "forbid" -> error(403, "M_FORBIDDEN", "ping refused on purpose");
                default -> ok(Conversation.JSON.createObjectNode());
            };
        }
        if (method.equals("PUT") && p.startsWith("/transactions/")) {
            return ok(Conversation.JSON.createObjectNode());
        }
        if (!method.equals("GET")) {
            return error(404, "M_NOT_FOUND", "not here");
        }
        return switch (p) {
            case "/thirdparty/protocol/chat" -> ok(chatProtocol());
            case "/thirdparty/location/chat" -> ok(one("alias", "#chat_general:test", "channel", "#general"));
            case "/thirdparty/user/chat" -> ok(one("userid", "@chat_bob:test", "nick", "bob"));
            case "/thirdparty/location" -> ok(one("alias", query(ex, "alias"), "channel", "#general"));
            case "/thirdparty/user" -> ok(one("userid", query(ex, "userid"), "nick", "bob"));
            default -> error(404, "M_NOT_FOUND", "not here");
        };
    }

    private static JsonNode chatProtocol() {
        ObjectNode p = Conversation.JSON.createObjectNode();
        p.putArray("user_fields").add("nick");
        p.putArray("location_fields").add("channel");
        p.put("icon", "mxc://example.org/chat");
        ObjectNode types = p.putObject("field_types");
        types.putObject("nick").put("regexp", ".*").put("placeholder", "bob");
        types.putObject("channel").put("regexp", "#.*").put("placeholder", "#general");
        ObjectNode instance = p.putArray("instances").addObject();
        instance.put("desc", "Chat network").put("icon", "mxc://example.org/net").put("network_id", "chatnet");
        instance.putObject("fields");
        return p;
    }

    private static ArrayNode one(String idKey, String id, String field, String value) {
        ArrayNode list = Conversation.JSON.createArrayNode();
        ObjectNode r = list.addObject().put(idKey, id == null ? "" : id).put("protocol", "chat");
        r.putObject("fields").put(field, value);
        return list;
    }

    private static JsonNode body(byte[] raw) {
        try {
            return raw.length == 0 ? Conversation.JSON.createObjectNode() : Conversation.JSON.readTree(raw);
        } catch (IOException e) {
            return Conversation.JSON.createObjectNode();
        }
    }

    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static JsonNode ok(JsonNode body) {
        ObjectNode a = Conversation.JSON.createObjectNode().put("status", 200);
        a.set("body", body);
        return a;
    }

    private static JsonNode error(int status, String errcode, String error) {
        ObjectNode a = Conversation.JSON.createObjectNode().put("status", status);
        a.putObject("body").put("errcode", errcode).put("error", error);
        return a;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
