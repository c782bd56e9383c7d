package dev.fakehomeserver.internal.push;

import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.journal.Violation;
import dev.fakehomeserver.internal.journal.TransactionLog;
import dev.fakehomeserver.journal.TransactionJournal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Sends requests to appservices with the JDK's {@link HttpClient}, adds the hs_token, and records every exchange
 * in the {@link TransactionJournal}. Nothing here blocks the caller: callers get a stage that completes on a pool
 * thread, the one that ran the exchange ({@link BlockingSend} says why not {@code sendAsync}).
 *
 * <p>One client (a selector thread) and one pool of daemon threads, which die after a minute idle, are shared by
 * every homeserver in the JVM: JDK 17's client cannot be closed, so a client per server would leave a selector
 * thread behind each closed server.
 */
final class AppserviceClient {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-homeserver-push");
        t.setDaemon(true);
        return t;
    });

    /**
     * The client, built on first use: building it initialises the JDK's TLS stack, about a third of a standalone
     * cold start (benchmarks/README.md), and a server that never pushes need not pay that.
     */
    private static final class Shared {
        /** HTTP/1.1 only: the default would offer an h2c upgrade that small appservice servers mishandle. */
        static final HttpClient HTTP = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(POOL)
                .build();
    }

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
                HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                        .timeout(settings.timeout())
                        .header("Accept", "application/json")
                        .header("User-Agent", "fake-homeserver");
                if (settings.headerAuth() || !out.legacyQueryAuth()) {
                    b.header("Authorization", "Bearer " + hsToken);
                }
                if (out.body() != null) {
                    b.header("Content-Type", "application/json");
                    b.method(out.method(), HttpRequest.BodyPublishers.ofByteArray(out.body()));
                } else {
                    b.method(out.method(), HttpRequest.BodyPublishers.noBody());
                }
                // One deadline for the whole exchange, answer body included (issue 17, item 2).
                result = PushDeadline.within(BlockingSend.start(Shared.HTTP, b.build(), AnswerBody.handler(), POOL),
                        settings.timeout())
                        .handle((resp, err) -> err != null ? new Outcome(0, "", unwrap(err))
                                : loseAnswer ? new Outcome(resp.statusCode(), resp.body().journalText(),
                                        new Outcome.InjectedFailure("the answer was lost " + Violation.INJECTED_MARKER))
                                : new Outcome(resp.statusCode(), resp.body().journalText(), null, resp.body().json()));
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
