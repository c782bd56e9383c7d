package dev.fakehomeserver.internal.model;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A version counter that waiters block on: bumped by every change of the model or of the journals, so that
 * "eventually" checks run again exactly when something happened, not on a polling clock.
 */
public final class ChangeSignal {
    private long version;

    public synchronized void bump() {
        version++;
        notifyAll();
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
