package dev.fakehomeserver.internal.push;

import dev.fakehomeserver.internal.journal.CoverageLog;
import dev.fakehomeserver.internal.model.Appservice;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link TransactionPusher} per appservice, made on first use and kept in the appservice's slot, and what
 * they share: the clock, the client, the change signal and Synapse's txnId sequence (decimal, one for all the
 * server's appservices). Apart from {@link PushHub} so that the router and the queries, which need the
 * pushers, do not need the hub that holds them.
 */
final class Pushers {
    private final TimeSource time;
    private final AppserviceClient client;
    private final Runnable changed;
    private final AtomicLong txnIds = new AtomicLong();
    /** While true (the platform's restart), no pusher sends anything; they catch up when it turns false. */
    private volatile boolean held;

    private final CoverageLog coverage;

    Pushers(TimeSource time, AppserviceClient client, Runnable changed, CoverageLog coverage) {
        this.time = time;
        this.client = client;
        this.changed = changed;
        this.coverage = coverage;
    }

    TransactionPusher of(Appservice as) {
        synchronized (as) {
            Object p = as.pusherSlot();
            if (p instanceof TransactionPusher tp) {
                return tp;
            }
            TransactionPusher tp = new TransactionPusher(as, time, client, changed, this::nextTxnId,
                    () -> held || client.paused(as.id()),
                    coverage);
            as.pusherSlot(tp);
            return tp;
        }
    }

    boolean held() {
        return held;
    }

    void held(boolean on) {
        held = on;
    }

    private String nextTxnId() {
        return Long.toString(txnIds.incrementAndGet());
    }
}
