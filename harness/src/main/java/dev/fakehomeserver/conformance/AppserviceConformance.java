package dev.fakehomeserver.conformance;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.conformance.KitRun;
import dev.fakehomeserver.internal.conformance.Session;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Checks an appservice's side of the contract from the homeserver's side: hs_token checks, each txnId processed
 * once, JSON answers, unknown routes, queries, ping, retries (the catalogue: {@link #catalogue()} and
 * {@code docs/conformance.md}). The fake's pusher sends what a homeserver sends; a small sender of the kit's own
 * sends the wrong things on purpose. It works in a user and rooms of its own, and the report says what it created.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> weather_bot_conforms(Homeserver hs) {
 *     hs.setAppserviceUrl("weather", bot.url());
 *     return AppserviceConformance.of(hs, "weather").probe("!weather paris").tests();
 * }
 *
 * // or in one assertion, or as a report:
 * ConformanceReport report = AppserviceConformance.of(hs, "weather").probe("!weather paris").run();
 * assertThat(report.conformsTo(Level.MUST)).as(report.table()).isTrue();
 * }</pre>
 *
 * <p>The <em>probe</em> is a message the appservice reacts to (it sends, joins, or calls anything about the room):
 * without one, "processed once" cannot be observed and those checks warn. The settings are read when a run
 * starts; the object is not meant to be shared between threads.
 */
public final class AppserviceConformance {
    private final Homeserver hs;
    private final String appserviceId;
    private String probe;
    private Duration reactionTimeout = Duration.ofSeconds(5);
    private Duration quietPeriod = Duration.ofMillis(500);
    private Duration requestTimeout = Duration.ofSeconds(60);

    private AppserviceConformance(Homeserver hs, String appserviceId) {
        this.hs = Objects.requireNonNull(hs);
        this.appserviceId = Objects.requireNonNull(appserviceId);
        hs.registration(appserviceId); // fails at once, listing the loaded ids, on a typo
    }

    /** The kit for one appservice of a running fake; its url must be set (the appservice listening there). */
    public static AppserviceConformance of(Homeserver hs, String appserviceId) {
        return new AppserviceConformance(hs, appserviceId);
    }

    /** Every check, in the order a run takes them. */
    public static List<ConformanceCheck> catalogue() {
        return KitRun.catalogue();
    }

    /** A message body the appservice reacts to, such as {@code !weather paris}. */
    public AppserviceConformance probe(String messageBody) {
        this.probe = Objects.requireNonNull(messageBody);
        return this;
    }

    /** How long to wait for a reaction that should come (5 s unless set). */
    public AppserviceConformance reactionTimeout(Duration timeout) {
        this.reactionTimeout = positive(timeout);
        return this;
    }

    /**
     * How long without a new reaction counts as "no more" (500 ms unless set): how long the kit waits to be sure a
     * reaction that must not happen (to a refused or repeated transaction) does not.
     */
    public AppserviceConformance quietPeriod(Duration quiet) {
        this.quietPeriod = positive(quiet);
        return this;
    }

    /** The homeserver's timeout for one request (60 s unless set, as Synapse). */
    public AppserviceConformance requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout);
        return this;
    }

    /** Runs every check, in catalogue order. */
    public ConformanceReport run() {
        return session().runAll();
    }

    /**
     * One JUnit 5 dynamic test per check, for a {@code @TestFactory}: a FAIL fails the test, a WARN or SKIP aborts
     * it (shown as skipped, with the reason), a PASS passes. Needs JUnit Jupiter on the class path.
     */
    public Stream<org.junit.jupiter.api.DynamicTest> tests() {
        return ConformanceTests.of(this::session, catalogue());
    }

    private KitRun session() {
        return new KitRun(new Session(hs, appserviceId,
                new Session.Settings(probe, reactionTimeout, quietPeriod, requestTimeout)));
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("needs a positive duration, was " + d);
        }
        return d;
    }
}
