package dev.fakehomeserver.assertj;

import com.sun.net.httpserver.HttpServer;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real appservice on loopback that answers every request 200 {@code {}} (or what {@link #answer} set); other
 * failures come from hs.faults(). With an {@link OnRequest}, it also hands each request to it before answering.
 */
final class LoopbackAppservice implements AutoCloseable {
    /** What the appservice does with a request before it answers: record it, call the homeserver back. */
    @FunctionalInterface
    interface OnRequest {
        void received(String method, String pathAndQuery, String body) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private volatile int status = 200;
    private volatile String body = "{}";

    LoopbackAppservice() throws IOException {
        this(Executors.newCachedThreadPool(), (method, path, body) -> { });
    }

    /** Requests are handled one at a time in arrival order, so that what {@code onRequest} does is repeatable. */
    LoopbackAppservice(OnRequest onRequest) throws IOException {
        this(Executors.newSingleThreadExecutor(), onRequest);
    }

    private LoopbackAppservice(ExecutorService threads, OnRequest onRequest) throws IOException {
        this.threads = threads;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", ex -> {
            try (ex) {
                String received = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    onRequest.received(ex.getRequestMethod(), ex.getRequestURI().toString(), received);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    throw new IOException(e);
                }
                byte[] out = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(status, out.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        });
        server.start();
    }

    /** Answers every following request with this status and JSON body. */
    void answer(int status, String body) {
        this.body = body;
        this.status = status;
    }

    /**
     * A fake homeserver on this clock whose one appservice, weather (sender @weatherbot:test, users and aliases
     * {@code weather_.*}), is this loopback server.
     */
    Homeserver weatherServer(VirtualClock clock) {
        return Homeserver.builder().clock(clock).registration(Registration.builder("weather").url(url())
                .senderLocalpart("weatherbot").users("@weather_.*:test", true).aliases("#weather_.*:test", true)
                .build()).start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
