package dev.fakehomeserver.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A homeserver on a virtual clock with the scripted loopback appservice "weather" ({@code @weather_.*:test}),
 * and the appservice's own HTTP client (its as_token), for the coverage tests: everything through public API.
 */
final class CoverageFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    final VirtualClock clock = new VirtualClock(Instant.parse("2030-01-01T00:00:00Z"));
    final ScriptedAppservice as = ScriptedAppservice.start();
    final Registration reg;
    final Homeserver hs;
    final TestClient http;

    CoverageFixture() {
        this(b -> b);
    }

    CoverageFixture(UnaryOperator<Registration.Builder> registration) {
        reg = registration.apply(TestRegistrations.weatherBuilder().url(as.url())).build();
        hs = Homeserver.builder().registration(reg).clock(clock).start();
        http = new TestClient(hs.url());
    }

    /** A public room of alice's with the ghost {@code @weather_bob:test} joined, and nothing left to push. */
    String roomWithGhost() {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@weather_bob:test").join(room);
        awaitIdle();
        return room;
    }

    void awaitIdle() {
        assertThat(hs.awaitAppserviceIdle("weather", WAIT)).as("weather idle: %s", hs.appserviceStatus("weather"))
                .isTrue();
    }

    /** A request of the appservice, with its as_token. */
    TestClient.Request asAppservice(String method, String path) {
        return http.method(method, path).token(reg.asToken());
    }

    long count(Behaviour b) {
        return hs.coverage().count("weather", b);
    }

    @Override
    public void close() {
        hs.close();
        as.close();
    }
}
