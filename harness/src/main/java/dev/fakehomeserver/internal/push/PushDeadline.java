package dev.fakehomeserver.internal.push;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One deadline for a whole exchange with an appservice (issue 17, items 2 and 9). A timeout that stops at the
 * response headers (the JDK client's) let an appservice that sent headers and then trickled or stalled its body
 * hold the transaction in flight, and the queue behind it, for as long as it liked. At the deadline the exchange
 * is cancelled, which closes its connection ({@link Http1Exchange}), and the stage fails with an
 * {@link HttpTimeoutException}, which the pusher treats like any other timeout.
 */
final class PushDeadline {
    /** One daemon timer for every server in the JVM; it only cancels, so it is never busy. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-homeserver-push-deadline");
        t.setDaemon(true);
        return t;
    });

    private PushDeadline() {}

    static <T> CompletableFuture<T> within(CompletableFuture<T> exchange, Duration deadline) {
        CompletableFuture<T> result = new CompletableFuture<>();
        var timer = TIMER.schedule(() -> {
            if (result.completeExceptionally(new HttpTimeoutException("the exchange took longer than " + deadline))) {
                exchange.cancel(true);
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        exchange.whenComplete((value, err) -> {
            timer.cancel(false);
            if (err == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(err);
            }
        });
        return result;
    }
}
