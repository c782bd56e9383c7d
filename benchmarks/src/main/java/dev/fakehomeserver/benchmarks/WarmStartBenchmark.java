package dev.fakehomeserver.benchmarks;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import io.undertow.Undertow;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Figure 2: inside a warm JVM, one more server built, started, answering its first 200 on {@code /versions} and
 * stopped. The same raw-socket GET for all three.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WarmStartBenchmark {
    private Registration registration;

    @Setup
    public void setup() {
        registration = Fakes.registration("bench", "http://127.0.0.1:9");
    }

    @Benchmark
    public int fake() {
        try (Homeserver hs = Homeserver.builder().registration(registration).start()) {
            return ok(hs.port());
        }
    }

    @Benchmark
    public int undertow() {
        Undertow u = BareUndertow.start(0, BareUndertow.versions());
        try {
            return ok(BareUndertow.port(u));
        } finally {
            u.stop();
        }
    }

    @Benchmark
    public int wiremock() {
        WireMockServer w = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        w.stubFor(get(urlEqualTo(Http.VERSIONS)).willReturn(okJson(BareUndertow.VERSIONS_JSON)));
        w.start();
        try {
            return ok(w.port());
        } finally {
            w.stop();
        }
    }

    private static int ok(int port) {
        int status = Http.get(port, Http.VERSIONS, 5000);
        if (status != 200) {
            throw new IllegalStateException("first GET answered " + status);
        }
        return status;
    }
}
