package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.ParkedWaits;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.SyncRequest;
import dev.fakehomeserver.internal.model.SyncStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The held {@code /sync} requests of one server, parked without a thread ({@link ParkedWaits}: the endpoint
 * returns a future, which the request pipeline answers whenever it completes). After each change of the model a
 * held sync is answered if it now has news; when its {@code timeout} passes, with whatever there is (usually
 * empty sections and a fresh token).
 *
 * <p>Bounds: at most {@value #MAX_HELD} held syncs per server (beyond that a sync answers at once, as with
 * {@code timeout=0}) and a timeout of at most {@value #MAX_TIMEOUT_MS} ms (Synapse has no cap; a client asking
 * more is answered earlier, which the protocol allows). The model counts the held syncs
 * ({@code SyncData.heldSyncs}), and tests wait on that count.
 */
final class SyncWaiters {
    static final int MAX_HELD = 10_000;
    static final long MAX_TIMEOUT_MS = 300_000;
    private static final Logger LOG = Logger.getLogger(SyncWaiters.class.getName());

    private final SyncStream stream;
    private final ParkedWaits<ObjectNode> held;

    SyncWaiters(HomeserverModel model, SyncStream stream) {
        this.stream = stream;
        this.held = new ParkedWaits<>(model.signal()::addListener, "fake-homeserver-sync-" + model.serverName(),
                MAX_HELD, model.sync()::heldSyncsChanged);
    }

    /** The number of syncs held now. */
    int size() {
        return held.size();
    }

    /** Holds a sync that had nothing new; the future completes with the answer. */
    CompletableFuture<Object> hold(SyncRequest request, long timeoutMs) {
        CompletableFuture<ObjectNode> answer = held.park(new ParkedWaits.Wait<>() {
            @Override
            public ObjectNode ready() {
                SyncStream.Result r = stream.sync(request);
                return r.hasNews() ? r.body() : null;
            }

            @Override
            public ObjectNode atDeadline() {
                return stream.sync(request).body();
            }
        }, TimeUnit.MILLISECONDS.toNanos(Math.min(timeoutMs, MAX_TIMEOUT_MS)));
        if (answer == null) {
            return CompletableFuture.completedFuture(stream.sync(request).body());
        }
        // A bug while building the answer: logged here, answered as a 500 by the pipeline; the request never hangs.
        return answer.<Object>thenApply(body -> body).whenComplete((body, bug) -> {
            if (bug != null) {
                LOG.log(Level.SEVERE, "Bug in fake-homeserver while answering a held sync", bug);
            }
        });
    }
}
