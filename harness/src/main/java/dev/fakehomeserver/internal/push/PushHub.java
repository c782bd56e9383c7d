package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.ChangeSignal;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.internal.journal.CoverageLog;
import dev.fakehomeserver.internal.journal.TransactionLog;
import dev.fakehomeserver.journal.TransactionJournal;

/**
 * Everything one homeserver sends to its appservices: the interest router on the append path, a
 * {@link TransactionPusher} per appservice ({@link Pushers}, with the shared txnId counter), the queries and the transaction journal.
 *
 * <p>Reset forgets queues, down states and the journal. Requests already in flight are not cancelled (the JDK
 * client cannot); their answers are ignored and not journaled. The txnId counter keeps counting across resets,
 * so an id is never reused for different content.
 */
public final class PushHub {
    private final HomeserverModel model;
    private final TransactionLog journal;
    private final AppserviceClient client;
    private final InterestRouter router;
    private final AppserviceQueries queries;
    private final Pushers pushers;
    private final ChangeSignal signal;

    /** @param coverage counts the behaviours the pushers, the queries and the router see */
    public PushHub(HomeserverModel model, PushSettings settings, TimeSource time, CoverageLog coverage) {
        this.model = model;
        this.signal = model.signal();
        this.journal = new TransactionLog(signal::bump);
        journal.observe(coverage::transaction);
        this.client = new AppserviceClient(settings, journal, time::nowMillis);
        this.pushers = new Pushers(time, client, signal::bump, coverage);
        this.queries = new AppserviceQueries(model, client, pushers);
        this.router = new InterestRouter(model, pushers, queries, coverage);
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

    private TransactionPusher pusher(Appservice as) {
        return pushers.of(as);
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

    /**
     * Holds every push (the hosting platform's restart: "nothing is pushed" while the homeserver restarts), or
     * releases them: each appservice then gets what waited, and a retry that came due meanwhile goes at once.
     */
    public void hold(boolean on) {
        pushers.held(on);
        if (!on) {
            for (Appservice as : model.appservices()) {
                pusher(as).resume();
            }
        }
        signal.bump();
    }

    /** Pushes to one appservice were resumed ({@code resumePushes}): what waited goes now. */
    public void resume(String appserviceId) {
        Appservice as = model.appservice(appserviceId);
        if (as != null) {
            pusher(as).resume();
        }
    }

    /** An appservice was unregistered: its pusher stops for good (no retry, no queued event goes out). */
    public void removed(Appservice as) {
        pusher(as).close();
        signal.bump();
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
