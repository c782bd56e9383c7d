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
 * stopped; the same raw-socket GET for all three. Each round times a batch of each in turn (fake, Undertow,
 * WireMock), after one unmeasured round that warms the JIT.
 */
final class WarmStart {
    private WarmStart() {}

    static List<Figure> run(int rounds, int perRound) {
        Registration reg = Fakes.registration("bench", "http://127.0.0.1:9");
        double[] fake = new double[rounds];
        double[] undertow = new double[rounds];
        double[] wiremock = new double[rounds];
        for (int r = Bench.firstRound; r < rounds; r++) {
            double f = millisEach(perRound, () -> {
                try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
                    ok(hs.port());
                }
            });
            double u = millisEach(perRound, () -> {
                Undertow s = BareUndertow.start(0, BareUndertow.versions());
                try {
                    ok(BareUndertow.port(s));
                } finally {
                    s.stop();
                }
            });
            // WireMock takes about 5x as long: fewer of them keep the rounds short.
            double w = millisEach(Math.max(1, perRound / 4), () -> {
                WireMockServer s = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
                s.stubFor(get(urlEqualTo(Http.VERSIONS)).willReturn(okJson(BareUndertow.VERSIONS_JSON)));
                s.start();
                try {
                    ok(s.port());
                } finally {
                    s.stop();
                }
            });
            if (r >= 0) {
                fake[r] = f;
                undertow[r] = u;
                wiremock[r] = w;
            }
        }
        Figure vsWiremock = new Figure("", "ms", fake, wiremock, "", null, List.of());
        return List.of(new Figure("2. warm start: build, start, first 200, close", "ms", fake, undertow,
                "bare Undertow", Figure.Target.ratioAtMost(1.3, "<= 1.3x bare Undertow"),
                List.of(String.format("WireMockServer %.2f ms (fake %s)", Stats.median(wiremock),
                        vsWiremock.ratioText()), perRound + " starts of each per round")));
    }

    private static double millisEach(int n, Runnable start) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            start.run();
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    private static void ok(int port) {
        int status = Http.get(port, Http.VERSIONS, 5000);
        if (status != 200) {
            throw new IllegalStateException("first GET answered " + status);
        }
    }
}
