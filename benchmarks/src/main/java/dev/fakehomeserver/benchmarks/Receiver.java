package dev.fakehomeserver.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal appservice: a bare Undertow handler that parses each body with Jackson, counts the
 * {@code m.room.message} events of each transaction (setup events such as joins are not counted) and answers
 * {@code {}}. Shared by the fake's pushes and by the ceiling's PUTs, so both pay the same receiving cost.
 */
final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Undertow server;
    private final AtomicLong messages = new AtomicLong();
    private final Semaphore arrivals = new Semaphore(0);
    private volatile long lastArrivalNanos;

    Receiver() {
        server = BareUndertow.start(0, ex -> ex.getRequestReceiver().receiveFullBytes((e, body) -> {
            int n = 0;
            if (body.length > 0) {
                try {
                    for (JsonNode ev : JSON.readTree(body).path("events")) {
                        if ("m.room.message".equals(ev.path("type").asText())) {
                            n++;
                        }
                    }
                } catch (java.io.IOException bad) {
                    e.setStatusCode(400);
                }
            }
            if (n > 0) {
                lastArrivalNanos = System.nanoTime();
                messages.addAndGet(n);
                arrivals.release(n);
            }
            e.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            e.getResponseSender().send("{}");
        }));
    }

    String url() {
        return "http://127.0.0.1:" + BareUndertow.port(server);
    }

    int port() {
        return BareUndertow.port(server);
    }

    long messages() {
        return messages.get();
    }

    /** When the last message arrived ({@link System#nanoTime()}). */
    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** Blocks until {@code n} more messages have arrived (each arrival releases one permit). */
    void await(int n) throws InterruptedException {
        if (!arrivals.tryAcquire(n, 60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the appservice got " + messages() + " messages; still waiting for "
                    + n + " more after 60 s");
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
