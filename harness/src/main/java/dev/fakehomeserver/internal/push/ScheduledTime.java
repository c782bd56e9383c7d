package dev.fakehomeserver.internal.push;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A real clock: tasks wait on the server's scheduler thread (shut down with the server). */
public final class ScheduledTime implements TimeSource {
    private final LongSupplier clock;
    private final ScheduledExecutorService executor;

    public ScheduledTime(LongSupplier clock, ScheduledExecutorService executor) {
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public long nowMillis() {
        return clock.getAsLong();
    }

    @Override
    public Scheduled schedule(Runnable task, long delayMillis) {
        long due = clock.getAsLong() + delayMillis;
        ScheduledFuture<?> f;
        try {
            f = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            f = null;
        }
        ScheduledFuture<?> future = f;
        return new Scheduled() {
            @Override
            public void cancel() {
                if (future != null) {
                    future.cancel(false);
                }
            }

            @Override
            public long dueMillis() {
                return due;
            }
        };
    }
}
