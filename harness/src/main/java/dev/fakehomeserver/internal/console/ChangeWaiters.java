package dev.fakehomeserver.internal.console;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The faces' waits that hold no thread: the console's long poll ({@link #next}) and the control API's
 * {@code ?wait_ms=} forms ({@code Homeserver.waitUntilAsync}, {@link #until}). A wait is a condition and a
 * deadline; the caller gets a future and returns at once (an HTTP exchange stays parked, no IO or worker thread
 * blocks). As the held {@code /sync} requests do, one small executor re-checks every pending condition after each
 * change of the model (a listener on its change signal, coalesced: one check queued at a time) and completes those
 * that now hold; a timer on the same executor completes the rest, false, at their deadline, after a last check.
 *
 * <p>The executor has one thread at most, started by the first wait and stopped after {@value #IDLE_SECONDS} s
 * without one, so a server nobody waits on keeps its thread count. At most {@link #MAX_WAITERS} waits are pending
 * at once: beyond that {@link #until} refuses ({@link TooManyWaiters}), so a runaway script gets an error, not a
 * leak.
 */
public final class ChangeWaiters {
    /** How long a console poll waits for a change before answering the unchanged version (under common proxy timeouts). */
    public static final Duration WAIT = Duration.ofSeconds(25);
    /** Pending waits per server, console polls and control API waits together. */
    public static final int MAX_WAITERS = 256;
    private static final int IDLE_SECONDS = 10;

    /** Thrown by {@link #until} when {@link #MAX_WAITERS} waits are already pending. */
    public static final class TooManyWaiters extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TooManyWaiters() {
            super("Too many waits are pending on this server (" + MAX_WAITERS + "): answer or cancel some first");
        }
    }

    private static final class Waiter {
        final BooleanSupplier condition;
        final CompletableFuture<Boolean> answer = new CompletableFuture<>();
        volatile ScheduledFuture<?> timer;

        Waiter(BooleanSupplier condition) {
            this.condition = condition;
        }
    }

    private final LongSupplier versions;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor executor;

    /**
     * @param versions the change signal's version, moved by every change
     * @param listeners registers a listener run after every change, on the changing thread (a face sees the
     *                  model's signal only through these two functions)
     */
    public ChangeWaiters(LongSupplier versions, Consumer<Runnable> listeners, String threadName) {
        this.versions = versions;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
        listeners.accept(this::changed);
    }

    /** The current version of the change signal. */
    public long version() {
        return versions.getAsLong();
    }

    /** The number of waits pending now. */
    public int pending() {
        return waiters.size();
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
        Waiter w = new Waiter(condition);
        if (condition.getAsBoolean()) {
            w.answer.complete(true);
            return w.answer;
        }
        if (waiters.size() >= MAX_WAITERS) {
            throw new TooManyWaiters();
        }
        waiters.add(w);
        w.timer = executor.schedule(() -> finish(w, () -> w.condition.getAsBoolean()),
                Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        // Something may have changed between the first look and the listing: look again.
        queueCheck();
        return w.answer;
    }

    private void changed() {
        if (!waiters.isEmpty()) {
            queueCheck();
        }
    }

    private void queueCheck() {
        if (checkQueued.compareAndSet(false, true)) {
            executor.execute(this::checkAll);
        }
    }

    private void checkAll() {
        checkQueued.set(false);
        for (Waiter w : waiters) {
            try {
                if (w.condition.getAsBoolean()) {
                    finish(w, () -> true);
                }
            } catch (RuntimeException e) {
                fail(w, e);
            }
        }
    }

    private void finish(Waiter w, BooleanSupplier result) {
        boolean value;
        try {
            value = result.getAsBoolean();
        } catch (RuntimeException e) {
            fail(w, e);
            return;
        }
        if (waiters.remove(w)) {
            ScheduledFuture<?> t = w.timer;
            if (t != null) {
                t.cancel(false);
            }
            w.answer.complete(value);
        }
    }

    /** Answers every pending wait false and stops the thread: the server is closing. */
    public void close() {
        executor.shutdownNow();
        for (Waiter w : waiters) {
            if (waiters.remove(w)) {
                w.answer.complete(false);
            }
        }
    }

    /** A bug in a condition: the request pipeline turns it into a logged 500, the request does not hang. */
    private void fail(Waiter w, RuntimeException e) {
        if (waiters.remove(w)) {
            ScheduledFuture<?> t = w.timer;
            if (t != null) {
                t.cancel(false);
            }
            w.answer.completeExceptionally(e);
        }
    }
}
