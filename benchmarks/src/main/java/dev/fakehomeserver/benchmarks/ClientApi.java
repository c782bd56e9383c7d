package dev.fakehomeserver.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Figure 6: authenticated {@code PUT .../send/m.room.message/{txnId}?user_id=} requests per second from N
 * concurrent clients (each a JDK HttpClient, one request in flight, keep-alive). Ceiling: a bare Undertow handler
 * that parses the same JSON and answers the same JSON, driven by the same clients.
 */
final class ClientApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] BODY = "{\"msgtype\":\"m.text\",\"body\":\"hello from the bridge\"}"
            .getBytes(StandardCharsets.UTF_8);

    private ClientApi() {}

    static Figure run(int clients, double warmupSeconds, double seconds) throws Exception {
        double fake;
        try (Receiver rx = new Receiver()) {
            Registration reg = Fakes.registration("bench", rx.url());
            try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
                String room = Fakes.interestingRoom(hs);
                List<String> users = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    String u = "@bench_user" + c + ":test";
                    hs.user(u).join(room);
                    users.add(u);
                }
                String base = hs.url() + "/_matrix/client/v3/rooms/" + enc(room) + "/send/m.room.message/";
                load(clients, warmupSeconds, c -> base, users, reg.asToken());
                fake = load(clients, seconds, c -> base, users, reg.asToken());
            }
        }
        AtomicLong ids = new AtomicLong();
        Undertow ceilingServer = BareUndertow.start(0, ex -> ex.getRequestReceiver().receiveFullBytes((e, body) -> {
            try {
                JSON.readTree(body);
                e.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                e.getResponseSender().send("{\"event_id\":\"$" + ids.incrementAndGet() + "abcdefghijklmnopqrstuvw\"}");
            } catch (java.io.IOException bad) {
                e.setStatusCode(400);
                e.endExchange();
            }
        }));
        double ceiling;
        try {
            String base = "http://127.0.0.1:" + BareUndertow.port(ceilingServer)
                    + "/_matrix/client/v3/rooms/x/send/m.room.message/";
            List<String> users = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                users.add("@bench_user" + c + ":test");
            }
            load(clients, warmupSeconds, c -> base, users, "token");
            ceiling = load(clients, seconds, c -> base, users, "token");
        } finally {
            ceilingServer.stop();
        }
        double ratio = fake / ceiling;
        return new Figure("6. client API PUT send (req/s, " + clients + " clients)", fake, "req/s", ceiling,
                "bare Undertow + Jackson", ">= 0.5x", ratio >= 0.5, List.of());
    }

    /** Requests per second answered 200 over {@code seconds}; anything else fails the figure. */
    private static double load(int clients, double seconds, java.util.function.IntFunction<String> base,
                               List<String> users, String token) throws Exception {
        LongAdder ok = new LongAdder();
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String user = enc(users.get(client));
                long i = 0;
                while (System.nanoTime() < end) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base.apply(client) + "t" + client + "-"
                                    + System.nanoTime() + "-" + i++ + "?user_id=" + user))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
                    try {
                        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200) {
                            ok.increment();
                        } else if (failures.getAndIncrement() == 0) {
                            System.err.println("client API: " + r.statusCode() + " " + new String(r.body(),
                                    StandardCharsets.UTF_8));
                        }
                    } catch (Exception e) {
                        // Say what it was: a failed figure without its cause cannot be looked into.
                        if (failures.getAndIncrement() == 0) {
                            System.err.println("client API: " + e);
                        }
                    }
                }
            }, "bench-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException("client API: " + failures.get() + " requests failed");
        }
        return ok.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
