package dev.fakehomeserver.internal.console;

import dev.fakehomeserver.internal.base.ParkedWaits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The faces' waits that hold no thread: the console's long poll ({@link #next}) and the control API's
 * {@code ?wait_ms=} forms ({@code Homeserver.waitUntilAsync}, {@link #until}). A wait is a condition and a
 * deadline; the caller gets a future and returns at once (an HTTP exchange stays parked, no IO or worker thread
 * blocks), parked as the held {@code /sync} requests are ({@link ParkedWaits}): the condition is checked again
 * after each change of the model, and at the deadline a last time (false if it still does not hold).
 *
 * <p>The waits' executor has one thread at most, so a server nobody waits on keeps its thread count. At most
 * {@link #MAX_WAITERS} waits are pending at once: beyond that {@link #until} refuses ({@link TooManyWaiters}), so a runaway script gets an error, not a
 * leak.
 */
public final class ChangeWaiters {
    /** How long a console poll waits for a change before answering the unchanged version (under common proxy timeouts). */
    public static final Duration WAIT = Duration.ofSeconds(25);
    /** Pending waits per server, console polls and control API waits together. */
    public static final int MAX_WAITERS = 256;

    /** Thrown by {@link #until} when {@link #MAX_WAITERS} waits are already pending. */
    public static final class TooManyWaiters extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TooManyWaiters() {
            super("Too many waits are pending on this server (" + MAX_WAITERS + "): answer or cancel some first");
        }
    }

    private final LongSupplier versions;
    private final ParkedWaits<Boolean> waits;

    /**
     * @param versions the change signal's version, moved by every change
     * @param listeners registers a listener run after every change, on the changing thread (a face sees the
     *                  model's signal only through these two functions)
     */
    public ChangeWaiters(LongSupplier versions, Consumer<Runnable> listeners, String threadName) {
        this.versions = versions;
        this.waits = new ParkedWaits<>(listeners, threadName, MAX_WAITERS, delta -> { });
    }

    /** The current version of the change signal. */
    public long version() {
        return versions.getAsLong();
    }

    /** The number of waits pending now. */
    public int pending() {
        return waits.size();
    }

    /** Completes with the signal's version once it differs from {@code since}, or after {@link #WAIT}. */
    public CompletableFuture<Long> next(long since) {
        return until(() -> versions.getAsLong() != since, WAIT).thenApply(changed -> versions.getAsLong());
    }

    /**
     * Completes with true as soon as {@code condition} holds (checked at once, on the caller's thread, then after
     * every change, on this waiter's thread), or with false when {@code timeout} passes and it still does not. A
     * condition that throws completes the future exceptionally.
     *
     * @throws TooManyWaiters when {@link #MAX_WAITERS} waits are pending
     */
    public CompletableFuture<Boolean> until(BooleanSupplier condition, Duration timeout) {
        if (condition.getAsBoolean()) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> answer = waits.park(new ParkedWaits.Wait<>() {
            @Override
            public Boolean ready() {
                return condition.getAsBoolean() ? Boolean.TRUE : null;
            }

            @Override
            public Boolean atDeadline() {
                return condition.getAsBoolean();
            }
        }, Math.max(0, timeout.toNanos()));
        if (answer == null) {
            throw new TooManyWaiters();
        }
        return answer;
    }

    /** Answers every pending wait false and stops the thread: the server is closing. */
    public void close() {
        waits.close(false);
    }
}
