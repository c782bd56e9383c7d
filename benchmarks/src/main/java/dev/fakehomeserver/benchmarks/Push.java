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

    /** Slices per round: the fake and its ceiling take turns slice by slice. */
    static final int SLICES = 5;

    /**
     * Events per second, injection to arrival, and the ceiling: the same batches serialised and PUT in turn. Each
     * round measures {@value #SLICES} slices of {@code events / SLICES}, each the fake's, then the ceiling's with
     * the batches the fake just sent, and takes the median slice of each; one unmeasured round first.
     */
    static Figure throughput(int rounds, int events) throws Exception {
        double[] fake = new double[rounds];
        double[] ceiling = new double[rounds];
        int perSlice = Math.max(1, events / SLICES);
        int transactions = 0;
        try (Receiver rx = new Receiver();
             Homeserver hs = Homeserver.builder().registration(Fakes.registration("bench", rx.url())).start()) {
            String room = Fakes.interestingRoom(hs);
            Actor alice = hs.user("@alice:test");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int r = Bench.firstRound; r < rounds; r++) {
                double[] f = new double[SLICES];
                double[] c = new double[SLICES];
                int sent = 0;
                // Slice by slice: a burst of load from elsewhere lands on both alike, and the median slice drops
                // one it hit hard (one run of 50,000 events each swung the ratio from 0.7x to 1.2x).
                for (int i = 0; i < SLICES; i++) {
                    int before = hs.transactions().records().size();
                    long start = System.nanoTime();
                    inject(alice, room, rx, perSlice);
                    f[i] = perSlice / ((rx.lastArrivalNanos() - start) / 1e9);
                    // The last transaction is journaled once its answer is in, just after its events arrived.
                    if (!hs.awaitAppserviceIdle("bench", java.time.Duration.ofSeconds(30))) {
                        throw new IllegalStateException("the push did not settle: " + hs.appserviceStatus("bench"));
                    }
                    List<RecordedTransaction> txns = hs.transactions().records();
                    List<JsonNode> batches = new ArrayList<>();
                    for (RecordedTransaction t : txns.subList(before, txns.size())) {
                        if (t.kind() == RecordedTransaction.Kind.TRANSACTION) {
                            batches.add(JSON.readTree(t.requestBody()));
                        }
                    }
                    c[i] = putAll(client, rx, batches, perSlice);
                    sent += batches.size();
                }
                if (r >= 0) {
                    fake[r] = Stats.median(f);
                    ceiling[r] = Stats.median(c);
                    transactions += sent;
                }
            }
        }
        return new Figure("4. push throughput (events/s)", "ev/s", fake, ceiling, "Jackson + same client PUTs",
                Figure.Target.ratioAtLeast(0.8, ">= 0.8x"),
                List.of(String.format("%,d events per round in %d slices taken in turn, the median slice; %.1f per"
                        + " transaction", perSlice * SLICES, SLICES, (double) perSlice * SLICES * rounds
                        / transactions)));
    }

    private static void inject(Actor alice, String room, Receiver rx, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            alice.send(room, "hello " + i);
        }
        rx.await(n);
    }

    /** The ceiling: serialise each batch with Jackson and PUT it with the JDK client, one in flight as the fake does. */
    private static double putAll(HttpClient client, Receiver rx, List<JsonNode> batches, int events)
            throws Exception {
        long start = System.nanoTime();
        int txn = 0;
        for (JsonNode batch : batches) {
            byte[] body = JSON.writeValueAsBytes(batch);
            HttpRequest req = HttpRequest.newBuilder(URI.create(rx.url() + "/_matrix/app/v1/transactions/c"
                            + System.nanoTime() + "-" + txn++))
                    .header("Authorization", "Bearer hs_token")
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("the receiver answered " + resp.statusCode());
            }
        }
        rx.await(events);
        // Up to the last arrival, as the fake's figure is: not up to this thread seeing the last answer.
        return events / ((rx.lastArrivalNanos() - start) / 1e9);
    }

    /** Injection to arrival, one event at a time (nothing else in flight): p50 and p99 of each round. */
    static List<Figure> latency(int rounds, int samples) throws Exception {
        double[] p50 = new double[rounds];
        double[] p99 = new double[rounds];
        try (Receiver rx = new Receiver();
             Homeserver hs = Homeserver.builder().registration(Fakes.registration("bench", rx.url())).start()) {
            String room = Fakes.interestingRoom(hs);
            Actor alice = hs.user("@alice:test");
            for (int r = Bench.firstRound; r < rounds; r++) {
                double[] ms = new double[samples];
                for (int i = 0; i < samples; i++) {
                    long t0 = System.nanoTime();
                    alice.send(room, "hello " + i);
                    rx.await(1);
                    ms[i] = (rx.lastArrivalNanos() - t0) / 1e6;
                }
                if (r >= 0) {
                    p50[r] = Stats.percentile(ms, 50);
                    p99[r] = Stats.percentile(ms, 99);
                }
            }
        }
        List<String> n = List.of(samples + " events per round, one in flight");
        return List.of(
                Figure.absolute("5a. injection to appservice, p50", "ms", p50, Figure.Target.atMost(1, "<= 1 ms"), n),
                Figure.absolute("5b. injection to appservice, p99", "ms", p99, Figure.Target.atMost(5, "<= 5 ms"), n));
    }
}
