package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.ChangeSignal;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.internal.journal.TransactionLog;
import dev.fakehomeserver.journal.TransactionJournal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one homeserver sends to its appservices: the interest router on the append path, a
 * {@link TransactionPusher} per appservice, the shared txnId counter, the queries and the transaction journal.
 *
 * <p>Reset forgets queues, down states and the journal. Requests already in flight are not cancelled (the JDK
 * client cannot); their answers are ignored and not journaled. The txnId counter keeps counting across resets,
 * so an id is never reused for different content.
 */
public final class PushHub {
    private final HomeserverModel model;
    private final TimeSource time;
    private final TransactionLog journal;
    private final AppserviceClient client;
    private final InterestRouter router;
    private final AppserviceQueries queries;
    private final AtomicLong txnIds = new AtomicLong();
    private final ChangeSignal signal;

    public PushHub(HomeserverModel model, PushSettings settings, TimeSource time) {
        this.model = model;
        this.time = time;
        this.signal = model.signal();
        this.journal = new TransactionLog(signal::bump);
        this.client = new AppserviceClient(settings, journal, time::nowMillis);
        this.router = new InterestRouter(model, this);
        this.queries = new AppserviceQueries(model, this);
        model.appender().addListener(router);
    }

    public TransactionJournal journal() { return journal; }

    /** The alias, ping and third-party calls for the client API ({@code Services.appserviceCalls}). */
    public AppserviceQueries calls() { return queries; }

    /** Injected failures of requests to appservices ({@code hs.faults().appservice(..)}); null for none. */
    public void faults(OutboundFaults hook) { client.faults(hook); }

    /** Receives every record of the transaction journal as it is made ({@code --verbose}); null for none. */
    public void log(java.util.function.Consumer<dev.fakehomeserver.journal.RecordedTransaction> sink) {
        client.log(sink);
    }

    TimeSource time() { return time; }
    AppserviceClient client() { return client; }
    void changed() { signal.bump(); }

    /** Synapse's txnIds: decimal, from one sequence shared by all appservices of the server. */
    String nextTxnId() {
        return Long.toString(txnIds.incrementAndGet());
    }

    TransactionPusher pusher(Appservice as) {
        synchronized (as) {
            Object p = as.pusherSlot();
            if (p instanceof TransactionPusher tp) {
                return tp;
            }
            TransactionPusher tp = new TransactionPusher(as, this);
            as.pusherSlot(tp);
            return tp;
        }
    }

    /**
     * Routes an ephemeral item ({@code m.typing}, {@code m.receipt}, {@code m.presence} in the shape they take
     * in a transaction) to every appservice that opted in and is interested. The lead wires the model's
     * ephemeral listener here; safe to call with or without the model's lock.
     */
    public void enqueueEphemeral(ObjectNode edu) {
        model.write(() -> {
            router.routeEphemeral(edu);
        });
    }

    /** Runs the user queries one after the other; null when there are none. */
    CompletableFuture<Void> userQueries(List<String> userIds) {
        if (userIds.isEmpty()) {
            return null;
        }
        // Started on the client's threads: the append path calls this under the model's lock.
        CompletableFuture<Void> chain = CompletableFuture.runAsync(() -> { }, AppserviceClient.executor());
        for (String u : userIds) {
            chain = chain.thenCompose(v -> queries.queryUser(u).toCompletableFuture()).thenApply(exists -> null);
        }
        return chain.exceptionally(err -> null);
    }

    /** The push state of one appservice, or null when there is no such appservice. */
    public AppserviceStatus status(String appserviceId) {
        Appservice as = model.appservice(appserviceId);
        return as == null ? null : pusher(as).status();
    }

    /** Retries the oldest undelivered transaction now, if the appservice is down (Synapse's force_retry). */
    public void forceRetry(String appserviceId) {
        Appservice as = model.appservice(appserviceId);
        if (as != null) {
            pusher(as).retryNow();
        }
    }

    CompletionStage<Outcome> send(Appservice as, Outbound out) {
        return client.send(as, out);
    }

    public void reset() {
        model.write(() -> {
            router.reset();
        });
        client.reset();
        for (Appservice as : model.appservices()) {
            pusher(as).reset();
        }
        journal.clear();
        signal.bump();
    }

    public void close() {
        client.reset();
        for (Appservice as : model.appservices()) {
            pusher(as).close();
        }
    }
}
