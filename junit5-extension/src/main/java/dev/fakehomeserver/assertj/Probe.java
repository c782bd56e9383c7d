package dev.fakehomeserver.assertj;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.expect.Expectation;
import dev.fakehomeserver.journal.AppserviceStatus;
import java.time.Duration;

/**
 * How an assertion runs against the live server: at once, waiting for it to come true ({@code eventually()}),
 * and/or holding it true for a period ({@code during(..)}). A check is an {@link Expectation}; it re-reads the live
 * server each time it runs, so every assertion can wait or hold.
 */
final class Probe {
    final Homeserver hs;
    final Duration wait;
    final Duration hold;

    Probe(Homeserver hs, Duration wait, Duration hold) {
        this.hs = hs;
        this.wait = wait;
        this.hold = hold;
    }

    Probe waiting(Duration d) {
        return new Probe(hs, positive(d, "wait"), hold);
    }

    Probe holding(Duration d) {
        return new Probe(hs, wait, positive(d, "period"));
    }

    private static Duration positive(Duration d, String what) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative " + what + " " + d);
        }
        return d;
    }

    /**
     * Runs the expectation as this probe says; returns the failure message, or null when it passed. While
     * waiting or holding only {@link Expectation#holds()} is re-checked; the message is built when it is reported.
     */
    String run(Expectation expectation) {
        String failure = wait.isZero() ? expectation.failure().orElse(null) : expectation.await(wait).orElse(null);
        if (failure != null || hold.isZero()) {
            return failure;
        }
        return hs.clock() instanceof VirtualClock clock ? holdVirtually(clock, expectation)
                : holdInRealTime(expectation);
    }

    /** Re-checks after every change of the server for {@code hold} of real time; fails at the first break. */
    private String holdInRealTime(Expectation e) {
        long start = System.nanoTime();
        String[] broke = new String[1];
        if (!hs.waitUntil(() -> (broke[0] = brokenNow(e)) != null, hold)) {
            return null;
        }
        Duration after = Duration.ofNanos(System.nanoTime() - start);
        return annotate(broke[0], "during " + human(hold) + ": no longer true after " + human(after.toMillis()));
    }

    /** The failure message when it no longer holds (built then, at the break), else null. */
    private static String brokenNow(Expectation e) {
        return e.holds() ? null : e.failure().orElse(null);
    }

    /**
     * Advances the virtual clock by {@code hold} (firing the retries that fall due), then re-checks after every
     * change until the appservices have settled (nothing in flight or queued but what waits for a later retry),
     * bounded by the server's default wait. No real time passes beyond what the pushes themselves take.
     */
    private String holdVirtually(VirtualClock clock, Expectation e) {
        clock.advance(hold);
        String[] broke = new String[1];
        boolean brokeOrSettled = hs.waitUntil(() -> (broke[0] = brokenNow(e)) != null || settled(), hs.defaultWait());
        if (broke[0] == null && brokeOrSettled) {
            return null;
        }
        String msg = broke[0] != null ? broke[0] : e.failure().orElse(null);
        return msg == null ? null : annotate(msg, "during " + human(hold) + " of virtual time");
    }

    /** Nothing will reach the fake until the clock moves again: no push in flight, nothing queued but retries. */
    private boolean settled() {
        for (Registration r : hs.registrations()) {
            AppserviceStatus s = hs.appserviceStatus(r.id());
            if (s.inFlight() || s.queuedEvents() > 0 || (!s.down() && s.queuedTransactions() > 0)) {
                return false;
            }
        }
        return true;
    }

    private static String annotate(String msg, String note) {
        return Expectation.note(msg, note);
    }

    private static String human(Duration d) {
        return Expectation.human(d);
    }

    private static String human(long millis) {
        return Expectation.human(Duration.ofMillis(millis));
    }
}
