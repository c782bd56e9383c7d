package dev.fakehomeserver.benchmarks;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Figure 9: one scenario as a test runs it: a message injected ({@code hs.user(..).send}), pushed to the
 * {@link ReplyBot}, which replies as its ghost through the client API, until {@code assertThat(hs).eventually()}
 * sees the reply in the timeline. Ceiling: what the scenario cannot avoid, two loopback HTTP round trips (the push
 * and the reply), each a JDK client PUT to a bare Undertow handler answering {@code {}}. Each round alternates one
 * scenario and one ceiling pair, in a fresh room, after one unmeasured round.
 */
final class Scenario {
    private Scenario() {}

    /** A room of {@code @alice:test} that the bot's ghost has joined, so the bot sees and can answer her messages. */
    static String room(Homeserver hs) {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
        hs.user(ReplyBot.GHOST).join(room);
        return room;
    }

    /** One scenario: inject, then wait in process for the bot's reply. */
    static void once(Homeserver hs, Actor alice, String room, String text) {
        alice.send(room, text);
        assertThat(hs).eventually().room(room).timeline().containsMessageFrom(ReplyBot.GHOST, "re: " + text);
    }

    static List<Figure> run(int rounds, int samples) throws Exception {
        double[] p50 = new double[rounds];
        double[] p99 = new double[rounds];
        double[] perSecond = new double[rounds];
        double[] ceilP50 = new double[rounds];
        double[] ceilP99 = new double[rounds];
        double[] ceilPerSecond = new double[rounds];
        Undertow bare = BareUndertow.start(0, ex -> ex.getRequestReceiver().receiveFullBytes((e, body) -> {
            e.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            e.getResponseSender().send("{}");
        }));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String bareUrl = "http://127.0.0.1:" + BareUndertow.port(bare) + "/_matrix/app/v1/transactions/";
        try (ReplyBot bot = new ReplyBot()) {
            Registration reg = Fakes.registration("bench", bot.url());
            try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
                bot.target(hs.url(), reg.asToken());
                Actor alice = hs.user("@alice:test");
                for (int r = Bench.firstRound; r < rounds; r++) {
                    String room = room(hs);
                    double[] ms = new double[samples];
                    double[] ceil = new double[samples];
                    for (int i = 0; i < samples; i++) {
                        long t0 = System.nanoTime();
                        once(hs, alice, room, "ping " + r + "." + i);
                        long t1 = System.nanoTime();
                        put(client, bareUrl + "a" + t1);
                        put(client, bareUrl + "b" + t1);
                        ms[i] = (t1 - t0) / 1e6;
                        ceil[i] = (System.nanoTime() - t1) / 1e6;
                    }
                    if (bot.failure() != null) {
                        throw new IllegalStateException("a reply of the bot failed: " + bot.failure());
                    }
                    if (r >= 0) {
                        p50[r] = Stats.percentile(ms, 50);
                        p99[r] = Stats.percentile(ms, 99);
                        perSecond[r] = 1000 / Stats.mean(ms);
                        ceilP50[r] = Stats.percentile(ceil, 50);
                        ceilP99[r] = Stats.percentile(ceil, 99);
                        ceilPerSecond[r] = 1000 / Stats.mean(ceil);
                    }
                }
            }
        } finally {
            bare.stop();
        }
        String ceiling = "2 bare round trips";
        List<String> n = List.of(samples + " scenarios per round, one at a time, on one server");
        return List.of(
                new Figure("9a. scenario: injection to reply seen, p50", "ms", p50, ceilP50, ceiling,
                        Figure.Target.ratioAtMost(3, "<= 3x 2 bare round trips"), n),
                new Figure("9b. scenario: injection to reply seen, p99", "ms", p99, ceilP99, ceiling, null, n),
                new Figure("9c. scenarios per second, sequential", "/s", perSecond, ceilPerSecond, ceiling, null, n));
    }

    private static void put(HttpClient client, String url) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"events\":[]}")).build();
        HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("the bare handler answered " + resp.statusCode());
        }
    }
}
