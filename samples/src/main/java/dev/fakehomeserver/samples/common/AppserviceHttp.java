package dev.fakehomeserver.samples.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The appservice side of the protocol, shared by the samples: an Undertow server that checks the hs_token on
 * every request (header or query), ignores repeated transaction ids, and hands events and queries to a
 * {@link Listener}.
 */
public final class AppserviceHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SEEN_TXNS = 1000;
    private static final System.Logger LOG = System.getLogger(AppserviceHttp.class.getName());

    /** What an appservice does with what the homeserver sends. */
    public interface Listener {
        void onEvent(JsonNode event);

        /** {@code GET /_matrix/app/v1/users/{userId}}: true when the user now exists. */
        default boolean onUserQuery(String userId) { return false; }

        /** {@code GET /_matrix/app/v1/rooms/{alias}}: true when the alias now exists. */
        default boolean onAliasQuery(String alias) { return false; }

        /** Typing, a receipt or presence ({@code receive_ephemeral: true} in the registration), in push order. */
        default void onEphemeral(JsonNode edu) { }
    }

    private final String hsToken;
    private final Listener listener;
    private final Undertow server;
    /** The last transaction ids seen, bounded: a retry carries the same id and must not be handled twice. */
    private final Set<String> seenTxns = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_TXNS;
        }
    });

    public AppserviceHttp(String hsToken, Listener listener) {
        this.hsToken = hsToken;
        this.listener = listener;
        this.server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(4)
                .setHandler(new BlockingHandler(this::handle))
                .build();
        server.start();
    }

    /** The base url to put in the registration ({@code http://127.0.0.1:port}). */
    public String url() {
        InetSocketAddress a = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return "http://127.0.0.1:" + a.getPort();
    }

    private void handle(HttpServerExchange ex) throws IOException {
        String presented = presentedToken(ex);
        if (presented == null) {
            // The spec's endpoint definitions: 401 when no credentials came, 403 M_FORBIDDEN when they are wrong.
            answer(ex, 401, "{\"errcode\":\"M_UNAUTHORIZED\",\"error\":\"No hs_token\"}");
            return;
        }
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), hsToken.getBytes(StandardCharsets.UTF_8))) {
            answer(ex, 403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"Bad hs_token\"}");
            return;
        }
        String path = ex.getRequestPath();
        String method = ex.getRequestMethod().toString();
        String prefix = "/_matrix/app/v1/";
        if (method.equals("PUT") && path.startsWith(prefix + "transactions/")) {
            String txnId = path.substring((prefix + "transactions/").length());
            JsonNode body = JSON.readTree(ex.getInputStream().readAllBytes());
            boolean fresh;
            synchronized (seenTxns) {
                fresh = seenTxns.add(txnId);
            }
            if (fresh) {
                for (JsonNode e : body.path("events")) {
                    handle(e);
                }
                for (JsonNode edu : body.path("ephemeral")) {
                    handleEphemeral(edu);
                }
            }
            answer(ex, 200, "{}");
        } else if (method.equals("GET") && path.startsWith(prefix + "users/")) {
            String user = URLDecoder.decode(path.substring((prefix + "users/").length()), StandardCharsets.UTF_8);
            answerQuery(ex, listener.onUserQuery(user));
        } else if (method.equals("GET") && path.startsWith(prefix + "rooms/")) {
            String alias = URLDecoder.decode(path.substring((prefix + "rooms/").length()), StandardCharsets.UTF_8);
            answerQuery(ex, listener.onAliasQuery(alias));
        } else if (method.equals("POST") && path.equals(prefix + "ping")) {
            answer(ex, 200, "{}");
        } else if (isKnownPath(path, prefix)) {
            // A known endpoint with the wrong method: 405, so the homeserver can tell it from a missing one.
            answer(ex, 405, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unsupported method\"}");
        } else {
            answer(ex, 404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
        }
    }

    /**
     * One event; a failure is logged and skipped. Failing the whole transaction instead would make the homeserver
     * mark the appservice down and resend the same events forever, blocking every event after them.
     */
    private void handle(JsonNode event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Skipped event " + event.path("event_id").asText() + ": " + e);
        }
    }

    private void handleEphemeral(JsonNode edu) {
        try {
            listener.onEphemeral(edu);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Skipped " + edu.path("type").asText() + ": " + e);
        }
    }

    private static boolean isKnownPath(String path, String prefix) {
        return path.startsWith(prefix + "transactions/") || path.startsWith(prefix + "users/")
                || path.startsWith(prefix + "rooms/") || path.equals(prefix + "ping");
    }

    /** The token from the Authorization header, else from {@code ?access_token=}, else null. */
    private static String presentedToken(HttpServerExchange ex) {
        String header = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String presented = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
        if (presented == null) {
            var q = ex.getQueryParameters().get("access_token");
            presented = q == null ? null : q.peekFirst();
        }
        return presented;
    }

    private static void answerQuery(HttpServerExchange ex, boolean exists) {
        if (exists) {
            answer(ex, 200, "{}");
        } else {
            answer(ex, 404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"Not found\"}");
        }
    }

    private static void answer(HttpServerExchange ex, int status, String json) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(json);
    }

    @Override
    public void close() {
        server.stop();
    }
}
