package dev.fakehomeserver.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.journal.RecordedTransaction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Figures 4 and 5: events injected through the public DSL ({@code hs.user(..).send(..)}, the one append path)
 * until they arrive at a minimal appservice in transactions.
 */
final class Push {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Push() {}

    /** Events per second, injection to arrival, and the ceiling: the same batches serialised and PUT in turn. */
    static Figure throughput(int events) throws Exception {
        try (Receiver rx = new Receiver();
             Homeserver hs = Homeserver.builder().registration(Fakes.registration("bench", rx.url())).start()) {
            String room = Fakes.interestingRoom(hs);
            Actor alice = hs.user("@alice:test");
            inject(alice, room, rx, events / 2); // warm-up: JIT, connections
            int before = hs.transactions().records().size();
            long start = System.nanoTime();
            inject(alice, room, rx, events);
            double fakeRate = events / ((rx.lastArrivalNanos() - start) / 1e9);

            List<RecordedTransaction> txns = hs.transactions().records();
            List<JsonNode> batches = new ArrayList<>();
            for (RecordedTransaction t : txns.subList(before, txns.size())) {
                if (t.kind() == RecordedTransaction.Kind.TRANSACTION) {
                    batches.add(JSON.readTree(t.requestBody()));
                }
            }
            double ceiling = putAll(rx, batches, events); // warm-up
            ceiling = Math.max(ceiling, putAll(rx, batches, events));
            double ratio = fakeRate / ceiling;
            return new Figure("4. push throughput (events/s)", fakeRate, "ev/s", ceiling,
                    "Jackson + same client PUTs", ">= 0.6x and >= 50,000 ev/s", ratio >= 0.6 && fakeRate >= 50_000,
                    List.of(String.format("%d events in %d transactions (%.1f per transaction)", events,
                            batches.size(), (double) events / batches.size())));
        }
    }

    private static void inject(Actor alice, String room, Receiver rx, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            alice.send(room, "hello " + i);
        }
        rx.await(n);
    }

    /** The ceiling: serialise each batch with Jackson and PUT it with the JDK client, one in flight as the fake does. */
    private static double putAll(Receiver rx, List<JsonNode> batches, int events) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        int txn = 0;
        for (JsonNode batch : batches) {
            byte[] body = JSON.writeValueAsBytes(batch);
            HttpRequest req = HttpRequest.newBuilder(URI.create(rx.url() + "/_matrix/app/v1/transactions/c" + txn++))
                    .header("Authorization", "Bearer hs_token")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("the receiver answered " + resp.statusCode());
            }
        }
        rx.await(events);
        return events / ((System.nanoTime() - start) / 1e9);
    }

    /** Injection to arrival, one event at a time (nothing else in flight), p50 and p99. */
    static List<Figure> latency(int samples) throws Exception {
        try (Receiver rx = new Receiver();
             Homeserver hs = Homeserver.builder().registration(Fakes.registration("bench", rx.url())).start()) {
            String room = Fakes.interestingRoom(hs);
            Actor alice = hs.user("@alice:test");
            for (int i = 0; i < samples; i++) { // warm-up
                alice.send(room, "warm " + i);
                rx.await(1);
            }
            double[] micros = new double[samples];
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                alice.send(room, "hello " + i);
                rx.await(1);
                micros[i] = (rx.lastArrivalNanos() - t0) / 1e3;
            }
            double p50 = Stats.percentile(micros, 50) / 1000;
            double p99 = Stats.percentile(micros, 99) / 1000;
            String n = samples + " events, one in flight";
            return List.of(
                    new Figure("5a. injection to appservice, p50", p50, "ms", Double.NaN, "", "<= 1 ms", p50 <= 1,
                            List.of(n)),
                    new Figure("5b. injection to appservice, p99", p99, "ms", Double.NaN, "", "<= 5 ms", p99 <= 5,
                            List.of(n)));
        }
    }
}
