package dev.fakehomeserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.concurrent.locks.LockSupport;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A real appservice on loopback (the JDK's HttpServer) for push tests: it records every request the homeserver
 * sends and answers per a script, 200 {@code {}} unless told otherwise. Each request runs on its own thread, so
 * a script may block (to hold a transaction open) or call back into the homeserver before it answers.
 *
 * <pre>{@code
 * try (ScriptedAppservice as = ScriptedAppservice.start()) {
 *     as.on("/transactions/", req -> ScriptedAppservice.Answer.json(500, "{}"));
 * }
 * }</pre>
 */
public final class ScriptedAppservice implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Req> requests = new ArrayList<>();
    private final Map<String, Function<Req, Answer>> scripts = new ConcurrentHashMap<>();

    /** One request the appservice received. */
    public record Req(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** The txnId of a transaction PUT. */
        public String txnId() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        /** The event ids of a transaction, in order. */
        public List<String> eventIds() {
            List<String> ids = new ArrayList<>();
            json().path("events").forEach(e -> ids.add(e.path("event_id").asText()));
            return ids;
        }

        public boolean isTransaction() {
            return method.equals("PUT") && path.startsWith("/_matrix/app/v1/transactions/");
        }
    }

    /**
     * What to answer: a status and a raw body (possibly not JSON), sent whole; or a 200 whose body stalls after
     * its first byte, or trickles a byte at a time, until {@code until} holds (then the connection is closed).
     */
    public record Answer(int status, String body, Shape shape, BooleanSupplier until) {
        /** How the body is sent. */
        public enum Shape { WHOLE, STALL_BODY, TRICKLE }

        public static Answer json(int status, String body) {
            return new Answer(status, body, Shape.WHOLE, null);
        }

        public static Answer ok() {
            return json(200, "{}");
        }

        /** Headers promising 100 bytes, one byte of body, then nothing until {@code until} holds. */
        public static Answer stalledBody(BooleanSupplier until) {
            return new Answer(200, "{", Shape.STALL_BODY, until);
        }

        /** A chunked body, one space every few milliseconds, until {@code until} holds. */
        public static Answer trickled(BooleanSupplier until) {
            return new Answer(200, "{", Shape.TRICKLE, until);
        }
    }

    private ScriptedAppservice() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public static ScriptedAppservice start() {
        try {
            return new ScriptedAppservice();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base url to put in the registration. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers requests whose path contains {@code pathPart} with {@code script} (the last one set wins). */
    public ScriptedAppservice on(String pathPart, Function<Req, Answer> script) {
        scripts.put(pathPart, script);
        return this;
    }

    public synchronized List<Req> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Req> requests(Predicate<Req> which) {
        return requests.stream().filter(which).toList();
    }

    public List<Req> transactions() {
        return requests(Req::isTransaction);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Req req = new Req(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()), body);
            synchronized (this) {
                requests.add(req);
            }
            Answer a = Answer.ok();
            for (Map.Entry<String, Function<Req, Answer>> s : scripts.entrySet()) {
                if (req.path().contains(s.getKey())) {
                    a = s.getValue().apply(req);
                    break;
                }
            }
            if (a == null) {
                return; // close without answering
            }
            if (a.shape() != Answer.Shape.WHOLE) {
                misbehave(ex, a);
                return;
            }
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    /** A stalled or trickled body: the appservice's own pace, until the homeserver has given up on it. */
    private static void misbehave(HttpExchange ex, Answer a) {
        try {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, a.shape() == Answer.Shape.STALL_BODY ? 100 : 0);
            OutputStream os = ex.getResponseBody();
            os.write(a.body().getBytes(StandardCharsets.UTF_8));
            os.flush();
            while (!a.until().getAsBoolean()) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                if (a.shape() == Answer.Shape.TRICKLE) {
                    os.write(' ');
                    os.flush();
                }
            }
        } catch (IOException homeserverHungUp) {
            // what a deadline does: the exchange is over
        }
        // The body stays short of what was promised: the connection is closed, not completed.
        try {
            ex.getResponseBody().close();
        } catch (IOException expected) {
            // insufficient bytes written: the close is what the homeserver sees
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
