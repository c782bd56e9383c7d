package dev.fakehomeserver.internal.push;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One exchange as {@link HttpClient#send} on a pool thread, handed back as a future; cancelling the future
 * interrupts the send, which makes the JDK client abort the exchange and close its connection (what
 * {@link PushDeadline} relies on).
 *
 * <p>Why not {@link HttpClient#sendAsync}: JDK 17's {@code sendAsync} hands every answer to
 * {@code CompletableFuture}'s default executor before completing, and where the common pool has a single worker
 * (any machine with 2 cores, such as most CI runners) that executor starts a new thread per task. Every push
 * then started and ended a thread (JFR: 479 of 582 thread starts in a run of 400 pushes), costing more than the
 * rest of the push. {@code send} completes on the calling thread; it only holds a pool thread while an exchange
 * is in flight, at most one per appservice plus the queries, and the pool's threads die when idle.
 */
final class BlockingSend<T> extends CompletableFuture<HttpResponse<T>> {
    private final Object lock = new Object();
    /** The thread sending now, or null before and after. Guarded by {@code lock}. */
    private Thread runner;

    private BlockingSend() {}

    static <T> CompletableFuture<HttpResponse<T>> start(HttpClient client, HttpRequest request,
                                                        HttpResponse.BodyHandler<T> handler, Executor pool) {
        BlockingSend<T> f = new BlockingSend<>();
        pool.execute(() -> f.run(client, request, handler));
        return f;
    }

    private void run(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        synchronized (lock) {
            if (isDone()) {
                return; // cancelled before it started
            }
            runner = Thread.currentThread();
        }
        try {
            complete(client.send(request, handler));
        } catch (IOException | RuntimeException e) {
            completeExceptionally(e);
        } catch (InterruptedException e) {
            // Only cancel interrupts: the future is done already, with the deadline's failure.
            completeExceptionally(e);
        } finally {
            synchronized (lock) {
                runner = null;
            }
            // An interrupt from cancel lands while runner was set, so before this: the pool thread goes back clean.
            Thread.interrupted();
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        synchronized (lock) {
            if (cancelled && runner != null) {
                runner.interrupt();
            }
        }
        return cancelled;
    }
}
