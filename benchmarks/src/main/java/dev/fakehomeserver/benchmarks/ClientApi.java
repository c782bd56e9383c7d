package dev.fakehomeserver.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
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
 * Figure 6: authenticated {@code PUT /rooms/{id}/send/m.room.message/{txnId}} requests per second from N concurrent
 * clients (each a JDK HttpClient, one request in flight, keep-alive, each a user with its own access token), in
 * two rooms of one fake: one outside every appservice's interest (6a: nothing is pushed) and one the appservice's
 * user has joined (6b: every event is also pushed to the receiver). Ceiling: a bare Undertow handler that parses
 * the same JSON and answers the same JSON, driven by the same clients. Each round runs 6a, 6b and the ceiling in
 * turn, {@value #SLICES} slices of each, and takes the median slice of each, after one unmeasured round of warm-up.
 */
final class ClientApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] BODY = "{\"msgtype\":\"m.text\",\"body\":\"hello from the bridge\"}"
            .getBytes(StandardCharsets.UTF_8);

    private ClientApi() {}

    /** Slices per round: 6a, 6b and the ceiling take turns slice by slice. */
    static final int SLICES = 5;

    /**
     * Where the clients send: a base url ending in {@code /send/m.room.message/}, one token per client and one
     * JDK client per client, kept across slices and rounds so each keeps its keep-alive connection.
     */
    private record Target(String base, List<String> tokens, List<HttpClient> clients) {
        Target(String base, List<String> tokens) {
            this(base, tokens, tokens.stream()
                    .map(t -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()).toList());
        }
    }

    static List<Figure> run(int clients, int rounds, double warmupSeconds, double seconds) throws Exception {
        double[] quiet = new double[rounds];
        double[] pushed = new double[rounds];
        double[] ceiling = new double[rounds];
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
        try (Receiver rx = new Receiver();
             Homeserver hs = Homeserver.builder().registration(Fakes.registration("bench", rx.url())).start()) {
            Actor alice = hs.user("@alice:test");
            String quietRoom = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
            String pushedRoom = Fakes.interestingRoom(hs);
            List<String> tokens = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Actor user = hs.user("@user" + c + ":test");
                user.join(quietRoom);
                user.join(pushedRoom);
                tokens.add(user.accessToken());
            }
            Target a = new Target(sendBase(hs.url(), quietRoom), tokens);
            Target b = new Target(sendBase(hs.url(), pushedRoom), tokens);
            Target ceil = new Target(sendBase("http://127.0.0.1:" + BareUndertow.port(ceilingServer), "!x:test"),
                    tokens);
            for (int r = Bench.firstRound; r < rounds; r++) {
                double slice = (r < 0 ? warmupSeconds : seconds) / SLICES;
                double[] qa = new double[SLICES];
                double[] pb = new double[SLICES];
                double[] cc = new double[SLICES];
                // Slice by slice, not one long run of each: a burst of load from elsewhere lands on all three
                // alike, and the median of the slices drops a slice it hit hard.
                for (int i = 0; i < SLICES; i++) {
                    qa[i] = load(clients, slice, a);
                    pb[i] = load(clients, slice, b);
                    cc[i] = load(clients, slice, ceil);
                }
                if (r >= 0) {
                    quiet[r] = Stats.median(qa);
                    pushed[r] = Stats.median(pb);
                    ceiling[r] = Stats.median(cc);
                }
            }
        } finally {
            ceilingServer.stop();
        }
        List<String> notes = List.of(clients + " clients, " + seconds + " s of each per round in " + SLICES
                + " slices taken in turn, the median slice"
                + (retried.get() > 0 ? "; " + retried.get() + " requests met a closed connection and were sent again"
                : ""));
        return List.of(
                new Figure("6a. client API PUT send, no push (req/s)", "req/s", quiet, ceiling,
                        "bare Undertow + Jackson", Figure.Target.ratioAtLeast(0.6, ">= 0.6x"), notes),
                new Figure("6b. client API PUT send, every event pushed (req/s)", "req/s", pushed, ceiling,
                        "bare Undertow + Jackson", Figure.Target.ratioAtLeast(0.45, ">= 0.45x"), notes));
    }

    private static String sendBase(String url, String room) {
        return url + "/_matrix/client/v3/rooms/" + enc(room) + "/send/m.room.message/";
    }

    /** Requests whose connection closed under them and were sent again (a note of the figure). */
    private static final AtomicLong retried = new AtomicLong();

    /** Requests per second answered 200 over {@code seconds}; anything else fails the figure. */
    private static double load(int clients, double seconds, Target target) throws Exception {
        LongAdder ok = new LongAdder();
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                HttpClient http = target.clients().get(client);
                String token = target.tokens().get(client);
                long i = 0;
                while (System.nanoTime() < end) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(target.base() + "t" + client + "-"
                                    + System.nanoTime() + "-" + i++))
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
                    } catch (java.io.IOException e) {
                        // A keep-alive connection closed under the client ("header parser received no bytes", once
                        // in a run of 100,000s): the request is sent again on a fresh connection and counted.
                        if (retried.getAndIncrement() == 0) {
                            System.err.println("client API: " + e + " (sent again)");
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
