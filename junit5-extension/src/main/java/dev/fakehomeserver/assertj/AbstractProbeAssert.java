package dev.fakehomeserver.assertj;

import dev.fakehomeserver.expect.Expectation;
import dev.fakehomeserver.expect.Expectations;
import dev.fakehomeserver.expect.WhatTheFakeSaw;
import java.time.Duration;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;

/**
 * What every assertion of this package shares: it re-reads the live server on each check, can wait for its
 * expectation to come true ({@link #eventually()}) or hold it true for a while ({@link #during(Duration)}), and
 * fails with what the fake saw. The {@code actual} value is a snapshot taken when the assertion was made (the
 * room, the user, the journal, the registration); the assertion methods themselves always read the live server.
 *
 * <pre>{@code
 * assertThat(hs).eventually().room(room).hasMember("@weatherbot:test");          // waits for the change
 * assertThat(hs).room(room).timeline().during(Duration.ofSeconds(1))
 *         .doesNotContainMessageFrom("@weatherbot:test");                        // and nothing comes
 * assertThat(hs).eventually().appservice("weather").isIdle();
 * }</pre>
 *
 * <p>Only this package extends it: its constructor and the copy it makes for {@code eventually} and
 * {@code during} are package-private.
 *
 * @param <SELF> the concrete assertion, returned by every assertion method
 * @param <ACTUAL> what it asserts on
 */
public abstract class AbstractProbeAssert<SELF extends AbstractProbeAssert<SELF, ACTUAL>, ACTUAL>
        extends AbstractAssert<SELF, ACTUAL> {
    final Probe probe;
    final WhatTheFakeSaw seen;
    final Expectations expect;

    AbstractProbeAssert(Probe probe, ACTUAL actual, Class<?> selfType) {
        super(actual, selfType);
        this.probe = probe;
        this.seen = new WhatTheFakeSaw(probe.hs);
        this.expect = Expectations.of(probe.hs);
    }

    /** The same assertion running as {@code probe} says (waiting, holding). */
    abstract SELF with(Probe probe);

    /** Waits up to the server's default (5 s unless {@code HomeserverBuilder.defaultWait} says otherwise). */
    public SELF eventually() {
        return eventually(probe.hs.defaultWait());
    }

    /**
     * Waits up to {@code timeout} for each following assertion to hold: checks at once, then again after every
     * change of the server, never on a polling clock.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public SELF eventually(Duration timeout) {
        return with(probe.waiting(timeout));
    }

    /**
     * Each following assertion must hold now and stay true for {@code period}: "nothing happens within". It is
     * checked again after every change of the server. With a {@code VirtualClock} no real time is spent waiting:
     * the clock is advanced by {@code period} (firing the retries that fall due) and the assertion is checked until
     * the appservices have settled. After {@link #eventually()}, it first waits for the assertion to come true.
     *
     * <pre>{@code
     * assertThat(hs).room(room).timeline().during(Duration.ofMillis(500)).doesNotContainMessageFrom("@weatherbot:test");
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code period} is negative
     */
    public SELF during(Duration period) {
        return with(probe.holding(period));
    }

    /** Runs an expectation shared with the other faces ({@link Expectations}) as the probe says. */
    final SELF check(Expectation expectation) {
        String failure = probe.run(expectation);
        if (failure != null) {
            failWithMessage("%s", Expectation.reported(probe.hs, failure));
        }
        return myself;
    }

    /** Runs a check (a failure message, or null when it holds) as the probe says, and fails with its message. */
    final SELF check(Supplier<String> check) {
        return check(Expectation.of(probe.hs, check));
    }
}
