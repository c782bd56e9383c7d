package dev.fakehomeserver.assertj;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import java.time.Duration;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a whole fake homeserver, and the navigation to its rooms, users, journal and appservices. Every
 * assertion re-reads the live server; after {@link #eventually()} it also waits for the expectation to come true,
 * waking on each change of the server rather than on a clock.
 *
 * <pre>{@code
 * assertThat(hs).eventually().room("#weather_paris:test").hasMember("@weather_paris:test");
 * assertThat(hs).eventually(Duration.ofSeconds(1)).user("@weather_paris:test").isRegistered();
 * assertThat(hs).hasNoViolations();
 * }</pre>
 */
public final class HomeserverAssert extends AbstractAssert<HomeserverAssert, Homeserver> {
    private final Probe probe;

    HomeserverAssert(Homeserver actual) {
        this(actual, new Probe(actual, Duration.ZERO));
    }

    private HomeserverAssert(Homeserver actual, Probe probe) {
        super(actual, HomeserverAssert.class);
        this.probe = probe;
    }

    /** Waits up to the server's default (5 s unless {@code HomeserverBuilder.defaultWait} says otherwise). */
    public HomeserverAssert eventually() {
        return eventually(actual.defaultWait());
    }

    /** Waits up to {@code timeout} for each following assertion to hold. */
    public HomeserverAssert eventually(Duration timeout) {
        return new HomeserverAssert(actual, probe.waiting(timeout));
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
