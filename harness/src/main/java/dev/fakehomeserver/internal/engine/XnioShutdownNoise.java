package dev.fakehomeserver.internal.engine;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps the two stack traces XNIO logs when a server closes with connections still queued for accepting out of
 * the log, and nothing else.
 *
 * <p>Why: XNIO's accept thread hands each connection it takes from the kernel to the IO thread as a task, and
 * each task that finds more queued schedules itself once more. When the server closes, the tasks still queued
 * meet a closed channel ({@code XNIO001009 Failed to accept a connection}, a {@link ClosedChannelException}) or a
 * terminating thread ({@code XNIO000011 Task ... failed}, a {@link RejectedExecutionException}), and each logs a
 * dozen-line stack trace: four in one CI run, from tests that did nothing but close their server. Draining the
 * queue first cannot be done from outside (the accept thread is XNIO's own, and Undertow's suspend waits on a
 * different thread), so the records are recognised instead: by logger and by the exception's type, which only a
 * closing server produces. A real accept failure (too many open files, say) is another {@code IOException} and
 * is still logged, as is everything else.
 *
 * <p>This works where JBoss Logging writes to {@code java.util.logging}, its fallback and what the fake runs
 * with; an application that routes JBoss Logging to another backend keeps XNIO's records as they are.
 */
final class XnioShutdownNoise {
    /** Held: java.util.logging keeps loggers weakly, and a collected logger loses its filter. */
    private static final Logger ACCEPT = Logger.getLogger("org.xnio.listener");
    private static final Logger TASKS = Logger.getLogger("org.xnio.nio");

    static {
        ACCEPT.setFilter(only(ClosedChannelException.class, ACCEPT.getFilter()));
        TASKS.setFilter(only(RejectedExecutionException.class, TASKS.getFilter()));
    }

    private XnioShutdownNoise() {}

    /** Makes sure the filters are in place (the first call installs them). */
    static void install() {
        // the static initialiser does the work, once per JVM
    }

    /** Drops records whose exception is a {@code noise}; everything else goes on to {@code next}, if any. */
    private static Filter only(Class<? extends Throwable> noise, Filter next) {
        return record -> !noise.isInstance(record.getThrown()) && (next == null || next.isLoggable(record));
    }
}
