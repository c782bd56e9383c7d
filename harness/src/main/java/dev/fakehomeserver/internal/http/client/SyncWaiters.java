package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.SyncStream;
import dev.fakehomeserver.internal.model.SyncRequest;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The held {@code /sync} requests of one server. A held sync costs no thread: its exchange is parked (the
 * endpoint returns a future, which the request pipeline answers whenever it completes), and one small executor
 * re-checks every held sync after each change of the model (a listener on the change signal, coalesced: one
 * check queued at a time) and completes those that now have news; a timer on the same executor answers the
 * rest, with empty sections, when their {@code timeout} passes.
 *
 * <p>The executor has one thread at most, started on the first held sync and stopped after
 * {@value #IDLE_SECONDS} s without work, so an idle server keeps its thread count. Bounds: at most
 * {@value #MAX_HELD} held syncs per server (beyond that a sync answers at once, as with {@code timeout=0}) and
 * a timeout of at most {@value #MAX_TIMEOUT_MS} ms (Synapse has no cap; a client asking more is answered
 * earlier, which the protocol allows).
 */
final class SyncWaiters {
    static final int MAX_HELD = 10_000;
    static final long MAX_TIMEOUT_MS = 300_000;
    private static final int IDLE_SECONDS = 10;
    private static final Logger LOG = Logger.getLogger(SyncWaiters.class.getName());

    private final HomeserverModel model;
    private final SyncStream stream;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor executor;

    private static final class Held {
        final SyncRequest request;
        final CompletableFuture<Object> answer = new CompletableFuture<>();
        volatile ScheduledFuture<?> timer;

        Held(SyncRequest request) {
            this.request = request;
        }
    }

    SyncWaiters(HomeserverModel model, SyncStream stream) {
        this.model = model;
        this.stream = stream;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fake-homeserver-sync-" + model.serverName());
            t.setDaemon(true);
            return t;
        });
        executor.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
        model.signal().addListener(this::changed);
    }

    /** The number of syncs held now. */
    int size() {
        return held.size();
    }

    /** Holds a sync that had nothing new; the future completes with the answer. */
    CompletableFuture<Object> hold(SyncRequest request, long timeoutMs) {
        Held h = new Held(request);
        if (held.size() >= MAX_HELD) {
            h.answer.complete(stream.sync(request).body());
            return h.answer;
        }
        held.add(h);
        h.timer = executor.schedule(() -> answerNow(h), Math.min(timeoutMs, MAX_TIMEOUT_MS), TimeUnit.MILLISECONDS);
        // The bump also makes the executor look again: something may have changed since the first look.
        model.sync().heldSyncsChanged(1);
        return h.answer;
    }

    private void changed() {
        if (!held.isEmpty() && checkQueued.compareAndSet(false, true)) {
            executor.execute(this::checkAll);
        }
    }

    private void checkAll() {
        checkQueued.set(false);
        for (Held h : held) {
            try {
                SyncStream.Result r = stream.sync(h.request);
                if (r.hasNews()) {
                    finish(h, r.body());
                }
            } catch (RuntimeException e) {
                fail(h, e);
            }
        }
    }

    /** The timeout passed: the answer with whatever there is (usually empty sections and a fresh token). */
    private void answerNow(Held h) {
        try {
            finish(h, stream.sync(h.request).body());
        } catch (RuntimeException e) {
            fail(h, e);
        }
    }

    /** A bug while building the answer: the pipeline turns it into a logged 500, the request does not hang. */
    private void fail(Held h, RuntimeException e) {
        LOG.log(Level.SEVERE, "Bug in fake-homeserver while answering a held sync", e);
        if (held.remove(h)) {
            model.sync().heldSyncsChanged(-1);
            h.answer.completeExceptionally(e);
        }
    }

    private void finish(Held h, ObjectNode body) {
        if (held.remove(h)) {
            model.sync().heldSyncsChanged(-1);
            ScheduledFuture<?> t = h.timer;
            if (t != null) {
                t.cancel(false);
            }
            h.answer.complete(body);
        }
    }
}
