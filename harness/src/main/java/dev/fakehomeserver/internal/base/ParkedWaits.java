package dev.fakehomeserver.internal.base;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Waits that hold no thread, for the faces' long polls: a held {@code /sync}, the console's poll, the control
 * API's {@code ?wait_ms=} and {@code Homeserver.waitUntilAsync}. A parked wait is a question asked after every
 * change and a deadline; the caller gets a future and returns at once (an HTTP exchange stays parked, no IO or
 * worker thread blocks). One small executor re-checks every parked wait after each change of the model (a
 * listener on its change signal, coalesced: one check queued at a time) and completes those that now have an
 * answer; a timer on the same executor completes the rest at their deadline with their deadline answer.
 *
 * <p>The executor has one thread at most, started by the first wait and stopped after {@value #IDLE_SECONDS} s
 * without work, so a server nobody waits on keeps its thread count. At most {@code capacity} waits are parked at
 * once; {@link #park} says when it is full and the caller decides (answer at once, or refuse).
 *
 * <pre>{@code
 * ParkedWaits<Boolean> waits = new ParkedWaits<>(signal::addListener, "waits", 256, delta -> { });
 * CompletableFuture<Boolean> f = waits.park(new ParkedWaits.Wait<>() {
 *     public Boolean ready() { return done() ? true : null; }
 *     public Boolean atDeadline() { return done(); }
 * }, TimeUnit.SECONDS.toNanos(5));
 * }</pre>
 *
 * @param <T> the answer a wait completes with
 */
public final class ParkedWaits<T> {
    private static final int IDLE_SECONDS = 10;

    /** What a parked wait asks after each change, and what it answers when its deadline passes. */
    public interface Wait<T> {
        /** The answer if the wait is over now, or null to keep waiting (runs on the waits' thread). */
        T ready();

        /** The answer when the deadline passes first: a last look. */
        T atDeadline();
    }

    private static final class Parked<T> {
        final Wait<T> wait;
        final CompletableFuture<T> answer = new CompletableFuture<>();
        volatile ScheduledFuture<?> timer;

        Parked(Wait<T> wait) {
            this.wait = wait;
        }
    }

    private final Set<Parked<T>> parked = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor executor;
    private final int capacity;
    private final IntConsumer parkedChanged;

    /**
     * @param changeListeners registers a listener run after every change, on the changing thread
     * @param capacity        the most waits parked at once
     * @param parkedChanged   told +1 when a wait is parked and -1 just before it completes (before whoever waits
     *                        on its future sees the answer)
     */
    public ParkedWaits(Consumer<Runnable> changeListeners, String threadName, int capacity,
                       IntConsumer parkedChanged) {
        this.capacity = capacity;
        this.parkedChanged = parkedChanged;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
        changeListeners.accept(this::changed);
    }

    /** The number of waits parked now. */
    public int size() {
        return parked.size();
    }

    /**
     * Parks {@code wait} until {@link Wait#ready} has an answer or {@code timeoutNanos} pass; the caller has
     * looked once already. Returns null, parking nothing, when {@code capacity} waits are parked.
     */
    public CompletableFuture<T> park(Wait<T> wait, long timeoutNanos) {
        if (parked.size() >= capacity) {
            return null;
        }
        Parked<T> p = new Parked<>(wait);
        parked.add(p);
        p.timer = executor.schedule(() -> finish(p, wait::atDeadline), Math.max(0, timeoutNanos),
                TimeUnit.NANOSECONDS);
        // Told after the timer is scheduled, so whoever the count wakes sees the waits' thread already started
        // (HeldSyncThreadsTest counts threads once the first sync is held). A wait completed in between makes the
        // count dip below its true value for that moment; it is never left wrong.
        parkedChanged.accept(1);
        // Something may have changed between the caller's look and the listing: look again.
        queueCheck();
        return p.answer;
    }

    private void changed() {
        if (!parked.isEmpty()) {
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
        for (Parked<T> p : parked) {
            T answer;
            try {
                answer = p.wait.ready();
            } catch (RuntimeException e) {
                fail(p, e);
                continue;
            }
            if (answer != null) {
                complete(p, answer);
            }
        }
    }

    private void finish(Parked<T> p, Supplier<T> answer) {
        T value;
        try {
            value = answer.get();
        } catch (RuntimeException e) {
            fail(p, e);
            return;
        }
        complete(p, value);
    }

    private void complete(Parked<T> p, T value) {
        if (remove(p)) {
            p.answer.complete(value);
        }
    }

    /** A bug in a wait: its future completes exceptionally (the request pipeline logs a 500), nothing hangs. */
    private void fail(Parked<T> p, RuntimeException e) {
        if (remove(p)) {
            p.answer.completeExceptionally(e);
        }
    }

    private boolean remove(Parked<T> p) {
        if (!parked.remove(p)) {
            return false;
        }
        ScheduledFuture<?> t = p.timer;
        if (t != null) {
            t.cancel(false);
        }
        parkedChanged.accept(-1);
        return true;
    }

    /** Completes every parked wait with {@code answer} and stops the thread: the server is closing. */
    public void close(T answer) {
        executor.shutdownNow();
        for (Parked<T> p : parked) {
            complete(p, answer);
        }
    }
}
