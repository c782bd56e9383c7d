package dev.fakehomeserver.benchmarks;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import io.undertow.Undertow;
import java.util.List;

/**
 * Figure 2: inside a warm JVM, one more server built, started, answering its first 200 on {@code /versions} and
 * stopped; the same raw-socket GET for all three. Each round interleaves the three start by start (fake, Undertow,
 * and WireMock every fourth) and takes the median of each, after one unmeasured round that warms the JIT.
 */
final class WarmStart {
    private WarmStart() {}

    static List<Figure> run(int rounds, int perRound) {
        Registration reg = Fakes.registration("bench", "http://127.0.0.1:9");
        Runnable fakeStart = () -> {
            try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
                ok(hs.port());
            }
        };
        Runnable undertowStart = () -> {
            Undertow s = BareUndertow.start(0, BareUndertow.versions());
            try {
                ok(BareUndertow.port(s));
            } finally {
                s.stop();
            }
        };
        Runnable wiremockStart = () -> {
            WireMockServer s = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
            s.stubFor(get(urlEqualTo(Http.VERSIONS)).willReturn(okJson(BareUndertow.VERSIONS_JSON)));
            s.start();
            try {
                ok(s.port());
            } finally {
                s.stop();
            }
        };
        double[] fake = new double[rounds];
        double[] undertow = new double[rounds];
        double[] wiremock = new double[rounds];
        // WireMock takes about 5x as long: one in four shots keeps the rounds short.
        int wiremockEvery = 4;
        for (int r = Bench.firstRound; r < rounds; r++) {
            double[] f = new double[perRound];
            double[] u = new double[perRound];
            double[] w = new double[Math.max(1, perRound / wiremockEvery)];
            // Shot by shot, not batch by batch: a burst of load from elsewhere, or a collection, lands on starts
            // of each kind alike instead of on one batch (a batch of 100 fake starts took ~0.5 s, long enough to
            // sit entirely inside one burst and swing the round's ratio from 0.7x to 1.3x).
            for (int i = 0; i < perRound; i++) {
                f[i] = millis(fakeStart);
                u[i] = millis(undertowStart);
                if (i % wiremockEvery == 0 && i / wiremockEvery < w.length) {
                    w[i / wiremockEvery] = millis(wiremockStart);
                }
            }
            if (r >= 0) {
                fake[r] = Stats.median(f);
                undertow[r] = Stats.median(u);
                wiremock[r] = Stats.median(w);
            }
        }
        Figure vsWiremock = new Figure("", "ms", fake, wiremock, "", null, List.of());
        return List.of(new Figure("2. warm start: build, start, first 200, close", "ms", fake, undertow,
                "bare Undertow", Figure.Target.ratioAtMost(1.3, "<= 1.3x bare Undertow"),
                List.of(String.format("WireMockServer %.2f ms (fake %s)", Stats.median(wiremock),
                        vsWiremock.ratioText()), "each round the median of " + perRound + " starts of each (WireMock "
                        + Math.max(1, perRound / wiremockEvery) + "), shot by shot")));
    }

    /** One start, in milliseconds (a round takes the median: one preempted start does not move it). */
    private static double millis(Runnable start) {
        long t0 = System.nanoTime();
        start.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void ok(int port) {
        int status = Http.get(port, Http.VERSIONS, 5000);
        if (status != 200) {
            throw new IllegalStateException("first GET answered " + status);
        }
    }
}
