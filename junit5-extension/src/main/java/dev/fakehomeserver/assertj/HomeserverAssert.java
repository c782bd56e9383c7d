package dev.fakehomeserver.assertj;

import dev.fakehomeserver.Homeserver;
import java.time.Duration;

/**
 * Assertions on a whole fake homeserver, and the navigation to its rooms, users, journal and appservices. Every
 * assertion re-reads the live server; after {@link #eventually()} it also waits for the expectation to come true,
 * waking on each change of the server rather than on a clock; after {@link #during(Duration)} it must stay true.
 *
 * <pre>{@code
 * assertThat(hs).eventually().room("#weather_paris:test").hasMember("@weather_paris:test");
 * assertThat(hs).eventually(Duration.ofSeconds(1)).user("@weather_paris:test").isRegistered();
 * assertThat(hs).eventually().appservice("weather").isIdle();
 * assertThat(hs).hasNoViolations();
 * }</pre>
 */
public final class HomeserverAssert extends AbstractProbeAssert<HomeserverAssert, Homeserver> {

    HomeserverAssert(Homeserver actual) {
        this(new Probe(actual, Duration.ZERO, Duration.ZERO));
    }

    private HomeserverAssert(Probe probe) {
        super(probe, probe.hs, HomeserverAssert.class);
    }

    @Override
    HomeserverAssert with(Probe p) {
        return new HomeserverAssert(p);
    }

    /** A room by id or local alias; the assertions fail (or wait) while it does not exist. */
    public RoomAssert room(String roomIdOrAlias) {
        return new RoomAssert(probe, roomIdOrAlias);
    }

    /** A user by id; it need not exist yet. */
    public UserAssert user(String userId) {
        return new UserAssert(probe, userId);
    }

    /** The client-server journal. */
    public JournalAssert journal() {
        return new JournalAssert(probe);
    }

    /**
     * One appservice: what the fake pushed to it and asked it, its push state, and the requests it made.
     *
     * @throws IllegalArgumentException when no appservice has this id
     */
    public AppserviceAssert appservice(String appserviceId) {
        return new AppserviceAssert(probe, appserviceId);
    }

    /** No request was refused (injected faults aside). */
    public HomeserverAssert hasNoViolations() {
        journal().hasNoViolations();
        return this;
    }
}
