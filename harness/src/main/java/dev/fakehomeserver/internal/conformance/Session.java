package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.conformance.CheckResult;
import dev.fakehomeserver.conformance.ConformanceCheck;
import dev.fakehomeserver.conformance.Exchange;
import dev.fakehomeserver.conformance.Level;
import dev.fakehomeserver.conformance.Outcome;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.view.EventView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One conformance run against one appservice of a running fake, as its checks see it ({@link KitRun} runs them): the kit's corner of the homeserver
 * ({@link KitRooms}), its own sender ({@link RawSender}), the exchanges of the check running, and what was created.
 * Everything else goes through the public facade {@link Homeserver}: events through its injection DSL (so they
 * reach the appservice through the fake's pusher, the one push path), the journals, faults, waiting.
 */
public final class Session {
    /**
     * The knobs of a run.
     *
     * @param probe a message body the appservice reacts to (such as {@code !weather paris}), or null; without one
     *              "processed once" cannot be observed and those checks warn
     * @param reactionTimeout how long to wait for a reaction that should come
     * @param quietPeriod how long without a new reaction counts as "no more": the wait for a reaction that must not come
     * @param requestTimeout the homeserver's timeout for one request (Synapse: 60 s)
     */
    public record Settings(String probe, Duration reactionTimeout, Duration quietPeriod, Duration requestTimeout) {}

    final Homeserver hs;
    final Registration reg;
    final Settings settings;
    final KitRooms rooms;
    final RawSender sender;
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());
    private final List<Exchange> all = Collections.synchronizedList(new ArrayList<>());
    private final List<Exchange> current = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong txnIds = new AtomicLong(9_000_000_000L + (System.nanoTime() & 0xFFFFFL) * 1000);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private long pushMark;
    /** Whether the appservice was seen reacting to the probe in this run: then a missing reaction is a failure. */
    volatile boolean probeReacted;

    public Session(Homeserver hs, String appserviceId, Settings settings) {
        this.hs = hs;
        this.reg = hs.registration(appserviceId);
        if (reg.url() == null || reg.url().isEmpty()) {
            throw new IllegalStateException("Appservice " + appserviceId + " has no url: set it with "
                    + "hs.setAppserviceUrl(\"" + appserviceId + "\", url) before a conformance run");
        }
        this.settings = settings;
        this.rooms = new KitRooms(hs, reg, created::add);
        this.sender = new RawSender(reg.url(), reg.hsToken(), settings.requestTimeout(), x -> {
            current.add(x);
            all.add(x);
        });
        created.add("user " + rooms.kitUser() + " (the kit's own, outside every namespace)");
        // The kit's own client requests may be refused on purpose (an alias the appservice says is missing):
        // they must not fail the user's test as unexpected violations.
        String kit = rooms.kitUser();
        hs.allowViolation(v -> kit.equals(v.request().userId()) || v.request().path().contains("/conformance"));
    }

    /** Runs one check of the catalogue in this session: its exchanges and verdict, the appservice marked up after. */
    CheckResult run(ConformanceCheck info, Function<Session, Verdict> body) {
        current.clear();
        pushMark = hs.transactions().records().stream().mapToLong(RecordedTransaction::seq).max().orElse(0);
        Verdict v;
        try {
            v = body.apply(this);
        } catch (KitTimeout e) {
            v = Verdict.fail(e.getMessage());
        } finally {
            hs.faults().appservice(reg.id()).markUp();
        }
        return new CheckResult(info, outcome(info.level(), v.kind()), v.detail(), List.copyOf(current));
    }

    private static Outcome outcome(Level level, Verdict.Kind kind) {
        return switch (kind) {
            case PASS -> Outcome.PASS;
            case SKIP -> Outcome.SKIP;
            case WARN -> Outcome.WARN;
            case FAIL -> level == Level.MUST ? Outcome.FAIL : Outcome.WARN;
        };
    }

    /** What the run has created so far. */
    public List<String> created() {
        return List.copyOf(created);
    }

    /** Every exchange of the run so far, oldest first. */
    public List<Exchange> exchanges() {
        return List.copyOf(all);
    }

    void created(String what) {
        created.add(what);
    }

    String nextTxnId() {
        return Long.toString(txnIds.incrementAndGet());
    }

    /** A transaction with these events on the modern path, from the kit's sender. */
    RawSender.Reply sendTransaction(RawSender.Auth auth, List<EventView> events) {
        return sender.send("PUT", "/_matrix/app/v1/transactions/" + nextTxnId(), auth, rooms.transaction(events));
    }

    /**
     * Waits for the fake to have sent (and got an answer to) a request that matches, since this check started;
     * records it as an exchange. Gives up at once when the appservice is marked down (an earlier transaction
     * failed, and the homeserver holds everything back until a retry succeeds), unless {@code evenWhenDown}.
     */
    RecordedTransaction awaitSent(String what, Predicate<RecordedTransaction> which, boolean evenWhenDown) {
        long mark = pushMark;
        Predicate<RecordedTransaction> p = r -> r.seq() > mark && r.appserviceId().equals(reg.id()) && which.test(r);
        Duration wait = settings.requestTimeout().plus(settings.reactionTimeout());
        hs.waitUntil(() -> !hs.transactions().records(p).isEmpty()
                || (!evenWhenDown && hs.appserviceStatus(reg.id()).down()), wait);
        List<RecordedTransaction> sent = hs.transactions().records(p);
        if (sent.isEmpty()) {
            List<RecordedTransaction> failed = hs.transactions().records(r -> r.appserviceId().equals(reg.id())
                    && !r.succeeded());
            throw new KitTimeout("the homeserver did not get to send " + what + " within " + wait.toMillis()
                    + " ms; the appservice's status: " + hs.appserviceStatus(reg.id())
                    + (failed.isEmpty() ? "" : "; the last failed request, which holds everything back until a "
                    + "retry succeeds: " + failed.get(failed.size() - 1)));
        }
        RecordedTransaction r = sent.get(0);
        record(r);
        return r;
    }

    RecordedTransaction awaitSent(String what, Predicate<RecordedTransaction> which) {
        return awaitSent(what, which, false);
    }

    /** Every answered request the fake sent since the check started that matches. */
    List<RecordedTransaction> sentSince(Predicate<RecordedTransaction> which) {
        long mark = pushMark;
        return hs.transactions().records(r -> r.seq() > mark && r.appserviceId().equals(reg.id()) && which.test(r));
    }

    void record(RecordedTransaction r) {
        Exchange x = new Exchange("homeserver", r.method(), r.path() + (r.query().isEmpty() ? "" : "?" + r.query()),
                "as the fake's pusher sends it", RawSender.excerpt(r.requestBody()), r.status(),
                RawSender.excerpt(r.responseBody()), r.latency(), r.status() == 0 ? r.error() : null);
        current.add(x);
        all.add(x);
    }

    /** A call to the fake's own client-server API (as a client would make it, to provoke a query or a ping). */
    Optional<String> callFake(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hs.url() + path))
                .timeout(settings.requestTimeout().plus(settings.reactionTimeout()))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(r.statusCode() + " " + r.body());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The probe, or a plain message when none was given. */
    String probeText() {
        return settings.probe() != null ? settings.probe() : "conformance probe (no reaction expected)";
    }

    boolean hasProbe() {
        return settings.probe() != null;
    }

    /** A wait that ran out: the check fails with what the fake saw. */
    static final class KitTimeout extends RuntimeException {
        KitTimeout(String message) {
            super(message);
        }
    }
}
