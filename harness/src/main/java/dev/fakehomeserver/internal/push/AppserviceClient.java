package dev.fakehomeserver.internal.push;

import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.journal.Violation;
import dev.fakehomeserver.internal.journal.TransactionLog;
import dev.fakehomeserver.journal.TransactionJournal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Sends requests to appservices, one {@link Http1Exchange} each, adds the hs_token, and records every exchange
 * in the {@link TransactionJournal}. Nothing here blocks its caller: callers get a stage that completes on the
 * push pool's threads.
 *
 * <p>One pool of daemon threads, which die after a minute idle, is shared by every homeserver in the JVM; an
 * exchange holds one of its threads while it waits for the appservice, and closes its connection when it ends.
 * (The JDK's {@code HttpClient}, used before, left the connection of an exchange that failed on a garbage status
 * line or oversized headers open for good: {@link Http1Exchange} says more.)
 */
final class AppserviceClient {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-homeserver-push");
        t.setDaemon(true);
        return t;
    });

    private final PushSettings settings;
    private final TransactionLog journal;
    private final LongSupplier nowMillis;
    /** Bumped by reset: answers to requests sent before it are not journaled. */
    private final AtomicLong generation = new AtomicLong();
    private volatile OutboundFaults faults = OutboundFaults.NONE;
    private volatile java.util.function.Consumer<RecordedTransaction> log;

    AppserviceClient(PushSettings settings, TransactionLog journal, LongSupplier nowMillis) {
        this.settings = settings;
        this.journal = journal;
        this.nowMillis = nowMillis;
    }

    static java.util.concurrent.Executor executor() {
        return POOL;
    }

    void reset() {
        generation.incrementAndGet();
    }

    void faults(OutboundFaults hook) {
        this.faults = hook == null ? OutboundFaults.NONE : hook;
    }

    /** Whether a test paused pushes to this appservice ({@code hs.faults().appservice(id).pausePushes()}). */
    boolean paused(String appserviceId) {
        return faults.paused(appserviceId);
    }

    void log(java.util.function.Consumer<RecordedTransaction> sink) {
        this.log = sink;
    }

    /** Sends; the stage always completes normally, with the answer or the failure inside the {@link Outcome}. */
    CompletionStage<Outcome> send(Appservice as, Outbound out) {
        String base = trimSlashes(as.url());
        String hsToken = as.registration().hsToken();
        StringBuilder query = new StringBuilder(out.query());
        if (settings.queryAuth() && out.legacyQueryAuth()) {
            query.append(query.length() == 0 ? "" : "&").append("access_token=").append(Outbound.form(hsToken));
        }
        Instant sentAt = Instant.ofEpochMilli(nowMillis.getAsLong());
        long gen = generation.get();
        long start = System.nanoTime();
        CompletableFuture<Outcome> result;
        boolean transaction = out.kind() == RecordedTransaction.Kind.TRANSACTION;
        String injected = faults.decide(as.id(), transaction);
        boolean loseAnswer = injected == null && transaction && faults.loseAnswer(as.id());
        if (injected != null) {
            // Never sent: to the caller (the pusher, a query) it looks like a refused connection.
            result = CompletableFuture.completedFuture(new Outcome(0, "", new Outcome.InjectedFailure(injected)));
        } else {
            try {
                URI uri = URI.create(base + out.path() + (query.length() == 0 ? "" : "?" + query));
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Accept", "application/json");
                headers.put("User-Agent", "fake-homeserver");
                if (settings.headerAuth() || !out.legacyQueryAuth()) {
                    headers.put("Authorization", "Bearer " + hsToken);
                }
                if (out.body() != null) {
                    headers.put("Content-Type", "application/json");
                }
                // One deadline for the whole exchange, answer body included (issue 17, item 2); the exchange's
                // connection is closed when it ends, however it ends (item 9).
                result = PushDeadline.within(Http1Exchange.send(POOL, out.method(), uri, headers, out.body(),
                                settings.timeout()), settings.timeout())
                        .handle((answer, err) -> err != null ? new Outcome(0, "", unwrap(err))
                                : loseAnswer ? new Outcome(answer.status(), answer.body().journalText(),
                                        new Outcome.InjectedFailure("the answer was lost " + Violation.INJECTED_MARKER))
                                : new Outcome(answer.status(), answer.body().journalText(), null,
                                        answer.body().json()));
            } catch (RuntimeException e) {
                // A url that is no URI, an unknown scheme: a failure like a refused connection.
                result = CompletableFuture.completedFuture(new Outcome(0, "", e));
            }
        }
        return result.thenApply(o -> {
            if (generation.get() == gen) {
                Duration latency = Duration.ofNanos(System.nanoTime() - start);
                RecordedTransaction rt = journal.append(seq -> new RecordedTransaction(seq, as.id(), out.kind(),
                        out.txnId(), out.attempt(), out.eventIds(), out.method(), out.path(),
                        redacted(out.query(), query),
                        out.body() == null ? "" : new String(out.body(), StandardCharsets.UTF_8), o.status(),
                        o.body(), o.error(), latency, sentAt));
                java.util.function.Consumer<RecordedTransaction> sink = log;
                if (sink != null) {
                    sink.accept(rt);
                }
            }
            return o;
        });
    }

    private static String redacted(String original, CharSequence sent) {
        return sent.length() == original.length() ? original
                : (original.isEmpty() ? "" : original + "&") + "access_token=<redacted>";
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String trimSlashes(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
