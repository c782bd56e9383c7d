package dev.fakehomeserver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that only moves when the test says so. Give it to the builder and the homeserver takes from it both
 * the {@code origin_server_ts} of new events and the times of its appservice retries: advancing it fires every
 * retry that has become due at once, on the calling thread, without any sleeping.
 *
 * <pre>{@code
 * VirtualClock clock = new VirtualClock(Instant.parse("2030-01-01T00:00:00Z"));
 * try (Homeserver hs = Homeserver.builder().registration(reg).clock(clock).start()) {
 *     // ... the appservice fails a transaction; the homeserver schedules a retry 2 s later
 *     clock.advance(Duration.ofSeconds(2));   // the retry goes out now
 * }
 * }</pre>
 *
 * <p>It is a {@link java.time.Clock} (in UTC), so the appservice under test can read the same time. One clock
 * may drive several homeservers.
 */
public final class VirtualClock extends Clock {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private static final Instant SEEDED_EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private Instant now;

    /** A clock standing at {@code start}. */
    public VirtualClock(Instant start) {
        this.now = Objects.requireNonNull(start);
    }

    /** A clock standing at the current system time. */
    public VirtualClock() {
        this(Instant.ofEpochMilli(System.currentTimeMillis()));
    }

    /**
     * A clock standing at an instant of 2026 drawn from {@code seed}: the same seed, the same start, so a run on it
     * replays with the same timestamps ({@link HomeserverBuilder#virtualClock()} starts one from the server's seed).
     * Not the current time: an appservice that drops events older than its own wall clock should be given this
     * clock (it is a {@link Clock}) or the test its own clock at the current time.
     *
     * <pre>{@code
     * VirtualClock clock = VirtualClock.seeded(42);   // always the same instant
     * }</pre>
     */
    public static VirtualClock seeded(long seed) {
        long year = Duration.ofDays(365).toMillis();
        return new VirtualClock(SEEDED_EPOCH.plusMillis(Math.floorMod(seed * 0x9E3779B97F4A7C15L, year)));
    }

    /** The current virtual time. */
    public synchronized Instant now() {
        return now;
    }

    @Override
    public Instant instant() {
        return now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock itself: a virtual clock has no zone of its own worth keeping apart. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /**
     * Moves the time forward, then runs every homeserver task that became due (appservice retries), oldest due
     * first, before returning.
     *
     * @throws IllegalArgumentException if {@code by} is negative
     */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("A virtual clock only moves forward; got " + by);
        }
        synchronized (this) {
            now = now.plus(by);
        }
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** Called by the homeservers this clock drives; the listener runs due tasks. */
    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now() + "]";
    }
}
