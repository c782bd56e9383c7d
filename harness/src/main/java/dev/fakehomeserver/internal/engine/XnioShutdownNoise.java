package dev.fakehomeserver.internal.engine;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps the stack traces XNIO and Undertow log when a server closes with connections still queued for accepting
 * or an exchange still finishing out of the log, and nothing else.
 *
 * <p>Why: XNIO's accept thread hands each connection it takes from the kernel to the IO thread as a task, and
 * each task that finds more queued schedules itself once more. When the server closes, the tasks still queued
 * meet a closed channel ({@code XNIO001009 Failed to accept a connection}, a {@link ClosedChannelException}) or a
 * terminating thread ({@code XNIO000011 Task ... failed}, a {@link RejectedExecutionException}
 * {@code XNIO007007 Thread is terminating}; an exchange whose answer was sent just before the close meets the
 * same refusal when Undertow finishes it, {@code UT005090 Unexpected failure}), and each logs a
 * dozen-line stack trace: four in one CI run, from tests that did nothing but close their server. Draining the
 * queue first cannot be done from outside (the accept thread is XNIO's own, and Undertow's suspend waits on a
 * different thread), so the records are recognised instead: by logger and by the exception (its type, and for the
 * refusal XNIO's message code), which only a closing server produces. A real accept failure (too many open files, say) is another {@code IOException} and
 * is still logged, as is everything else.
 *
 * <p>This works where JBoss Logging writes to {@code java.util.logging}, its fallback and what the fake runs
 * with; an application that routes JBoss Logging to another backend keeps XNIO's records as they are.
 */
final class XnioShutdownNoise {
    /** Held: java.util.logging keeps loggers weakly, and a collected logger loses its filter. */
    private static final Logger ACCEPT = Logger.getLogger("org.xnio.listener");
    private static final Logger TASKS = Logger.getLogger("org.xnio.nio");
    /** Undertow's, where an exchange finished as the IO thread stops logs "UT005090: Unexpected failure". */
    private static final Logger REQUEST_IO = Logger.getLogger("io.undertow.request.io");

    static {
        ACCEPT.setFilter(dropping(t -> t instanceof ClosedChannelException, ACCEPT.getFilter()));
        TASKS.setFilter(dropping(XnioShutdownNoise::terminatingThread, TASKS.getFilter()));
        REQUEST_IO.setFilter(dropping(XnioShutdownNoise::terminatingThread, REQUEST_IO.getFilter()));
    }

    private XnioShutdownNoise() {}

    /** Makes sure the filters are in place (the first call installs them). */
    static void install() {
        // the static initialiser does the work, once per JVM
    }

    /** XNIO's refusal of a task by an IO thread that is stopping, which only a closing server meets. */
    private static boolean terminatingThread(Throwable t) {
        return t instanceof RejectedExecutionException && t.getMessage() != null
                && t.getMessage().startsWith("XNIO007007");
    }

    /** Drops records whose exception is {@code noise}; everything else goes on to {@code next}, if any. */
    private static Filter dropping(Predicate<Throwable> noise, Filter next) {
        return record -> (record.getThrown() == null || !noise.test(record.getThrown()))
                && (next == null || next.isLoggable(record));
    }
}
