package dev.fakehomeserver.internal.push;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * Tasks waiting for a virtual clock. Nothing runs by itself: {@link #fireDue()} (called when the test advances
 * the clock) runs, on the caller's thread, every task whose time has come, earliest first; tasks those tasks
 * schedule with no delay run in the same call. So "advance by 2 s" sends the retry before it returns, and no
 * thread ever sleeps.
 */
public final class DueTasks implements TimeSource {
    private final LongSupplier now;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long order;
    private boolean closed;

    public DueTasks(LongSupplier now) {
        this.now = now;
    }

    private final class Task implements Scheduled, Comparable<Task> {
        final long due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public void cancel() {
            synchronized (DueTasks.this) {
                cancelled = true;
                queue.remove(this);
            }
        }

        @Override
        public long dueMillis() {
            return due;
        }

        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }

    @Override
    public long nowMillis() {
        return now.getAsLong();
    }

    @Override
    public synchronized Scheduled schedule(Runnable task, long delayMillis) {
        Task t = new Task(now.getAsLong() + Math.max(0, delayMillis), order++, task);
        if (!closed) {
            queue.add(t);
        }
        return t;
    }

    /** Runs every due task; returns how many ran. */
    public int fireDue() {
        int ran = 0;
        while (true) {
            List<Task> due = new ArrayList<>();
            synchronized (this) {
                long t = now.getAsLong();
                while (!closed && !queue.isEmpty() && queue.peek().due <= t) {
                    due.add(queue.poll());
                }
            }
            if (due.isEmpty()) {
                return ran;
            }
            for (Task task : due) {
                task.body.run();
                ran++;
            }
        }
    }

    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}
