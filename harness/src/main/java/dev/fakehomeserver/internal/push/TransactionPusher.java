package dev.fakehomeserver.internal.push;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.journal.CoverageLog;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.RecordedTransaction;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;

/**
 * Pushes one appservice's events in transactions, with Synapse's scheduler semantics (spec-digest §3.4–3.5,
 * {@code synapse/appservice/scheduler.py}):
 * <ul>
 *   <li>one transaction in flight; up to 100 events and 100 ephemeral items per transaction; no batching timer,
 *       so a lone event goes at once and events arriving meanwhile go together in the next one;</li>
 *   <li>the first failure marks the appservice DOWN; the oldest undelivered transaction is then retried with the
 *       same txnId and the same events after 2, 4, 8 ... 512 s on the homeserver's clock, the delay reset by a
 *       success; while down, each batch of new events becomes a transaction of its own, kept however long the
 *       outage lasts, and ephemeral items are dropped, as they are from a retried transaction;</li>
 *   <li>a retry can be forced (a successful ping does that).</li>
 * </ul>
 *
 * <p>Its state is guarded by its own monitor, never held while sending: requests go out on the client's
 * threads, and answers come back there. The model's lock is never taken here.
 */
final class TransactionPusher {
    static final int MAX_EVENTS = 100;
    static final int MAX_EPHEMERAL = 100;
    static final int MAX_BACKOFF_EXPONENT = 9;

    private final Appservice as;
    private final TimeSource time;
    private final AppserviceClient client;
    /** Bumps the change signal: waiters see a push state change. */
    private final Runnable changed;
    /** The server's one txnId sequence, shared by all its appservices. */
    private final Supplier<String> txnIds;

    private final ArrayDeque<Queued> events = new ArrayDeque<>();
    private final ArrayDeque<ObjectNode> ephemeral = new ArrayDeque<>();
    /** Created but undelivered transactions, oldest first; only non-empty while down. */
    private final ArrayDeque<Txn> stored = new ArrayDeque<>();
    private boolean sending;
    private boolean down;
    private boolean closed;
    private int backoffExponent = 1;
    private long scheduledDelaySeconds;
    private TimeSource.Scheduled retry;
    private CompletableFuture<Void> awaitedGate;
    /** Bumped by reset: answers to earlier sends are ignored. */
    private long epoch;
    /** Whether pushes are held (the platform's restart): nothing is sent, events wait in the queue. */
    private final BooleanSupplier held;
    /** A retry came due while pushes were held: it goes as soon as they are released. */
    private boolean retryDeferred;

    /** An event waiting for a transaction, behind the user queries ({@code gate}) it needs first, if any. */
    private record Queued(Event event, CompletableFuture<Void> gate) {
        boolean ready() {
            return gate == null || gate.isDone();
        }
    }

    /** A transaction: its id, its events (written in client-v1 format as of its cut), and how often it was sent. */
    private static final class Txn {
        final String txnId;
        List<String> eventIds;
        List<Event> events;
        /** When it was cut: each event's {@code age} is as of then, in every attempt. */
        final long cutMillis;
        /** Ephemeral items go with the first attempt only (Synapse stores event ids alone). */
        List<ObjectNode> ephemeral;
        int attempts;
        /** Whether an earlier attempt reached the appservice (it answered, even with an error). */
        boolean reached;

        Txn(String txnId, List<Event> events, long cutMillis, List<ObjectNode> ephemeral) {
            this.txnId = txnId;
            this.events = events;
            this.eventIds = events.stream().map(Event::eventId).toList();
            this.cutMillis = cutMillis;
            this.ephemeral = ephemeral;
        }

        void keep(List<Event> writable) {
            events = writable;
            eventIds = writable.stream().map(Event::eventId).toList();
        }
    }

    /** Hears the appservice come back up, a txnId sent again after it arrived, ephemeral data delivered. */
    private final CoverageLog coverage;

    TransactionPusher(Appservice as, TimeSource time, AppserviceClient client, Runnable changed,
                      Supplier<String> txnIds, BooleanSupplier held, CoverageLog coverage) {
        this.coverage = coverage;
        this.held = held;
        this.as = as;
        this.time = time;
        this.client = client;
        this.changed = changed;
        this.txnIds = txnIds;
    }

    /** Queues an event; {@code gate}, when not null, must complete before it may be sent. */
    void enqueue(Event e, CompletableFuture<Void> gate) {
        synchronized (this) {
            events.add(new Queued(e, gate));
        }
        pump();
    }

    /** Queues an ephemeral item (typing, receipt, presence) already filtered for this appservice's interest. */
    void enqueueEphemeral(ObjectNode edu) {
        Registration r = as.registration();
        if (!r.receiveEphemeral() && !r.msc2409PushEphemeral()) {
            return;
        }
        synchronized (this) {
            if (down || closed) {
                return; // Synapse drops ephemeral data while the appservice is down.
            }
            ephemeral.add(edu);
        }
        pump();
    }

    /** Sends the next batch if nothing is in flight; while down, turns queued events into stored transactions. */
    void pump() {
        pump(false);
    }

    /** {@code inline}: the caller holds no lock (an answer's thread), so the request may start right here. */
    private void pump(boolean inline) {
        Txn next;
        long myEpoch;
        synchronized (this) {
            if (closed || sending || held.getAsBoolean()) {
                return;
            }
            if (down) {
                Txn t;
                while ((t = cut(false)) != null) {
                    stored.add(t);
                }
                changed.run();
                return;
            }
            next = cut(true);
            if (next == null) {
                return;
            }
            sending = true;
            next.attempts++;
            myEpoch = epoch;
        }
        dispatch(next, myEpoch, inline);
    }

    /** Takes the next batch off the queues (caller holds the monitor); null when there is nothing to send. */
    private Txn cut(boolean withEphemeral) {
        List<Event> batch = new ArrayList<>();
        while (batch.size() < MAX_EVENTS && !events.isEmpty()) {
            Queued q = events.peek();
            if (!q.ready()) {
                // Order is kept: everything behind an unanswered user query waits for it.
                if (awaitedGate != q.gate()) {
                    awaitedGate = q.gate();
                    // Async: were the gate to complete right now, an inline pump would re-enter this cut.
                    q.gate().whenCompleteAsync((v, err) -> pump(), AppserviceClient.executor());
                }
                break;
            }
            batch.add(events.poll().event());
        }
        List<ObjectNode> eph = new ArrayList<>();
        if (withEphemeral) {
            while (eph.size() < MAX_EPHEMERAL && !ephemeral.isEmpty()) {
                eph.add(ephemeral.poll());
            }
        }
        if (batch.isEmpty() && eph.isEmpty()) {
            return null;
        }
        // The events are written when sent, outside this monitor, which the append path waits on to enqueue.
        return new Txn(txnIds.get(), List.copyOf(batch), time.nowMillis(), eph);
    }

    private void dispatch(Txn t, long myEpoch, boolean inline) {
        if (as.url() == null || as.url().isEmpty()) {
            // Synapse's push_bulk answers "sent" for an appservice without url: nothing goes out.
            finished(t, myEpoch, true);
            return;
        }
        Outbound out;
        try {
            byte[] body = PushBody.write((g, events) -> writeBody(t, events, g), t.events, t.cutMillis, t::keep,
                    as.id());
            out = new Outbound(RecordedTransaction.Kind.TRANSACTION, "PUT",
                    "/_matrix/app/v1/transactions/" + Outbound.quote(t.txnId), "", body, true, t.txnId, t.attempts,
                    t.eventIds);
        } catch (RuntimeException e) {
            // A failure of the fake's own must never leave the transaction in flight (issue 17, item 1).
            PushBody.logFailure(as.id(), t.txnId, e);
            finished(t, myEpoch, false);
            return;
        }
        // whenComplete, not thenAccept: whatever happens on the way back, the transaction is finished.
        if (t.attempts > 1 && t.reached) {
            coverage.saw(as.id(), Behaviour.DUPLICATE_TXN_ID);
        }
        Runnable send = () -> client.send(as, out).whenComplete((o, err) -> {
            if (err == null && o.status() != 0) {
                t.reached = true;
            }
            finished(t, myEpoch, err == null && o.succeeded());
        });
        if (inline) {
            // On the thread of the previous answer: no lock held, and a hop to another thread would put a thread
            // wake-up between every two transactions of a busy appservice (benchmarks/README.md, figure 4).
            send.run();
        } else {
            // The append path calls in here under the model's lock: the request itself starts on another thread.
            AppserviceClient.executor().execute(send);
        }
    }

    private void writeBody(Txn t, List<Event> events, JsonGenerator g) throws IOException {
        Registration r = as.registration();
        g.writeStartObject();
        // Keys in canonical (sorted) order, as Synapse sends them.
        if (r.msc2409PushEphemeral()) {
            list(g, "de.sorunome.msc2409.ephemeral", t.ephemeral);
        }
        if (r.receiveEphemeral() || r.msc2409PushEphemeral()) {
            // To-device messages need an experimental Synapse flag to be filled; the key is always there.
            list(g, "de.sorunome.msc2409.to_device", List.of());
        }
        if (r.receiveEphemeral()) {
            list(g, "ephemeral", t.ephemeral);
        }
        g.writeArrayFieldStart("events");
        for (Event e : events) {
            EventFormat.writeAppserviceV1(e, t.cutMillis, g);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void list(JsonGenerator g, String name, List<ObjectNode> items) throws IOException {
        g.writeArrayFieldStart(name);
        for (ObjectNode item : items) {
            Json.writeTree(g, item);
        }
        g.writeEndArray();
    }

    private void finished(Txn t, long myEpoch, boolean ok) {
        Txn next = null;
        long nextEpoch;
        synchronized (this) {
            if (myEpoch != epoch || closed) {
                return; // reset or closed while it was in flight: the answer no longer matters
            }
            sending = false;
            nextEpoch = epoch;
            if (ok && t.reached && !t.ephemeral.isEmpty()) {
                coverage.saw(as.id(), Behaviour.EPHEMERAL);
            }
            t.ephemeral = List.of();
            if (ok) {
                if (down) {
                    stored.remove(t);
                    backoffExponent = 1;
                    if (stored.isEmpty()) {
                        down = false;
                        scheduledDelaySeconds = 0;
                        coverage.saw(as.id(), Behaviour.APPSERVICE_DOWN_AND_RECOVERED);
                    } else {
                        // A success moves on at once to the next oldest transaction.
                        next = stored.peek();
                        next.attempts++;
                        sending = true;
                    }
                }
            } else {
                if (!down) {
                    down = true;
                    stored.addFirst(t);
                    ephemeral.clear();
                } else {
                    backoffExponent = Math.min(backoffExponent + 1, MAX_BACKOFF_EXPONENT);
                }
                // Events that arrived while it was in flight become transactions of their own, kept for later.
                Txn more;
                while ((more = cut(false)) != null) {
                    stored.add(more);
                }
                scheduleRetry();
            }
        }
        changed.run();
        if (next != null) {
            dispatch(next, nextEpoch, true);
        } else if (ok) {
            pump(true);
        }
    }

    /** Caller holds the monitor. */
    private void scheduleRetry() {
        scheduledDelaySeconds = 1L << backoffExponent;
        retry = time.schedule(this::retryNow, scheduledDelaySeconds * 1000);
    }

    /** Sends the oldest stored transaction again now, if the appservice is down and nothing is in flight. */
    void retryNow() {
        Txn t;
        long myEpoch;
        synchronized (this) {
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
            if (closed || !down || sending || stored.isEmpty()) {
                return;
            }
            if (held.getAsBoolean()) {
                retryDeferred = true;
                return;
            }
            t = stored.peek();
            t.attempts++;
            sending = true;
            myEpoch = epoch;
        }
        dispatch(t, myEpoch, false);
    }

    /** Pushes are released (the platform's restart is over): a deferred retry goes now, else whatever waits. */
    void resume() {
        boolean retry;
        synchronized (this) {
            retry = retryDeferred;
            retryDeferred = false;
        }
        if (retry) {
            retryNow();
        } else {
            pump();
        }
    }

    synchronized AppserviceStatus status() {
        return new AppserviceStatus(as.id(), down, sending, stored.size(), events.size(), ephemeral.size(),
                retry == null ? null : Instant.ofEpochMilli(retry.dueMillis()), down ? scheduledDelaySeconds : 0);
    }

    /** Forgets every queue and the down state; an answer to a request in flight is ignored. */
    synchronized void reset() {
        epoch++;
        events.clear();
        ephemeral.clear();
        stored.clear();
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
        sending = false;
        down = false;
        backoffExponent = 1;
        scheduledDelaySeconds = 0;
        awaitedGate = null;
        retryDeferred = false;
    }

    synchronized void close() {
        reset();
        closed = true;
    }
}
