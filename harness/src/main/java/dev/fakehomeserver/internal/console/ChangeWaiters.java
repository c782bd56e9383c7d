package dev.fakehomeserver.internal.console;

import dev.fakehomeserver.internal.base.MatrixException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The console's long poll: answers as soon as the model's change signal moves past the version the page last
 * saw, so pages update when something happens and not on a clock. One daemon thread waits on the signal while
 * at least one poll is pending and ends when none is, so a server nobody watches has no extra thread.
 *
 * <p>Every poll waits the same {@link #WAIT} at most, so the first pending poll always has the earliest
 * deadline; at most {@link #MAX_WAITERS} polls wait at once (a runaway page gets 429, not a leak).
 */
public final class ChangeWaiters {
    /** How long a poll waits for a change before answering the unchanged version (under common proxy timeouts). */
    public static final Duration WAIT = Duration.ofSeconds(25);
    static final int MAX_WAITERS = 64;

    private record Waiter(long since, long deadlineNanos, CompletableFuture<Long> answer) {}

    /** Waits until a condition holds, evaluating it again after every change: the change signal's await. */
    public interface Await {
        boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException;
    }

    private final LongSupplier versions;
    private final Await signal;
    private final String threadName;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Non-null while polls are pending; guarded by {@code waiters}. */
    private Thread thread;

    /**
     * @param versions the change signal's version, moved by every change
     * @param signal waits on that signal (a face sees the model's signal only through these two functions)
     */
    public ChangeWaiters(LongSupplier versions, Await signal, String threadName) {
        this.versions = versions;
        this.signal = signal;
        this.threadName = threadName;
    }

    /** The current version of the change signal. */
    public long version() {
        return versions.getAsLong();
    }

    /** Completes with the signal's version once it differs from {@code since}, or after {@link #WAIT}. */
    public CompletableFuture<Long> next(long since) {
        long now = versions.getAsLong();
        if (now != since) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter w = new Waiter(since, System.nanoTime() + WAIT.toNanos(), new CompletableFuture<>());
        synchronized (waiters) {
            if (waiters.size() >= MAX_WAITERS) {
                throw new MatrixException(429, "M_LIMIT_EXCEEDED", "Too many console pages are waiting for changes ("
                        + MAX_WAITERS + "); close some");
            }
            waiters.add(w);
            if (thread == null) {
                thread = new Thread(this::run, threadName);
                thread.setDaemon(true);
                thread.start();
            }
        }
        return w.answer();
    }

    private void run() {
        while (true) {
            long seen = versions.getAsLong();
            long earliest = 0;
            boolean idle;
            List<Waiter> answered = new ArrayList<>();
            synchronized (waiters) {
                long nowNanos = System.nanoTime();
                waiters.removeIf(w -> {
                    boolean done = w.since() != seen || w.deadlineNanos() - nowNanos <= 0;
                    if (done) {
                        answered.add(w);
                    }
                    return done;
                });
                idle = waiters.isEmpty();
                if (idle) {
                    thread = null;
                } else {
                    earliest = waiters.peekFirst().deadlineNanos();
                }
            }
            // Outside the lock: completing writes the HTTP answer.
            answered.forEach(w -> w.answer().complete(seen));
            if (idle) {
                return;
            }
            try {
                signal.await(() -> versions.getAsLong() != seen,
                        Duration.ofNanos(Math.max(1, earliest - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                synchronized (waiters) {
                    waiters.forEach(w -> w.answer().complete(versions.getAsLong()));
                    waiters.clear();
                    thread = null;
                }
                return;
            }
        }
    }
}
