package dev.fakehomeserver.internal.model;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A version counter that waiters block on: bumped by every change of the model or of the journals, so that
 * "eventually" checks run again exactly when something happened, not on a polling clock.
 */
public final class ChangeSignal {
    private long version;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void bump() {
        synchronized (this) {
            version++;
            notifyAll();
        }
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /**
     * Runs {@code l} after every bump, on the bumping thread (which may hold the model's lock): it must only
     * hand work to another thread, as the held {@code /sync} requests do.
     */
    public void addListener(Runnable l) {
        listeners.add(l);
    }

    public synchronized long version() {
        return version;
    }

    /**
     * Evaluates {@code condition} now and after every change until it holds or {@code timeout} passes.
     *
     * @return whether the condition held
     */
    public boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen;
            synchronized (this) {
                seen = version;
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            synchronized (this) {
                while (version == seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return condition.getAsBoolean();
                    }
                    wait(Math.max(1, left / 1_000_000), 0);
                }
            }
        }
    }
}
