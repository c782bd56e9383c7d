package dev.fakehomeserver.internal.push;

/**
 * The homeserver's notion of time: what {@code origin_server_ts} and retry delays are measured on. In tests it
 * is a virtual clock whose advance fires due tasks at once ({@link DueTasks}); otherwise the system clock with a
 * scheduled executor ({@link ScheduledTime}).
 */
public interface TimeSource {
    long nowMillis();

    /** Runs {@code task} once {@code delayMillis} have passed on this clock. */
    Scheduled schedule(Runnable task, long delayMillis);

    /** A scheduled task that can still be called off. */
    interface Scheduled {
        void cancel();

        /** When it is due, in this clock's epoch millis. */
        long dueMillis();
    }
}
