package dev.fakehomeserver.assertj;

import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.expect.AppserviceSeen;
import dev.fakehomeserver.expect.WhatTheFakeSaw;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.view.EventView;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Assertions on one appservice (the {@code id} value is its registration, with its current url): what the
 * homeserver pushed to it and asked it (read from {@code hs.transactions()}), its push state, and the requests it
 * made with its as_token (read from the client-server journal).
 *
 * <pre>{@code
 * String id = hs.user("@alice:test").send(room, "!weather Paris");
 * assertThat(hs).eventually().appservice("weather")
 *         .receivedEvent(id)
 *         .wasQueriedForUser("@weather_paris:test")
 *         .madeRequest("PUT", "/rooms/{roomId}/send/*")
 *         .isUp()
 *         .hasNoViolations();
 * assertThat(hs).eventually().appservice("weather").isIdle();   // before stopping the appservice
 * }</pre>
 *
 * <p>"Received" means acknowledged: the event was in a transaction the appservice answered with a 2xx and a JSON
 * body. An attempt that failed does not count, even when the appservice saw it before failing, because the
 * homeserver will send that transaction again; a failure message lists such attempts. Failure messages show every
 * transaction sent to the appservice with its events, its push state (down, queued, next retry), and for an event
 * never pushed, why: the interest rules spelled out against the registration.
 */
public final class AppserviceAssert extends AbstractProbeAssert<AppserviceAssert, Registration> {
    private final String id;
    private final AppserviceSeen as;

    AppserviceAssert(Probe probe, String appserviceId) {
        // hs.registration fails at once, listing the loaded ids, on a typo.
        super(probe, probe.hs.registration(appserviceId), AppserviceAssert.class);
        this.id = appserviceId;
        this.as = seen.appservice(appserviceId);
    }

    @Override
    AppserviceAssert with(Probe p) {
        return new AppserviceAssert(p, id);
    }

    // ---- what the homeserver pushed ----------------------------------------------------------------------------

    /** The appservice acknowledged a transaction holding this event. */
    public AppserviceAssert receivedEvent(String eventId) {
        return check(expect.appserviceReceivedEvent(id, eventId));
    }

    /** The appservice acknowledged a transaction holding an event of this type. */
    public AppserviceAssert receivedEventOfType(String type) {
        return check(expect.appserviceReceivedEventOfType(id, type));
    }

    /** The appservice acknowledged a transaction holding an {@code m.room.message} from this sender with this body. */
    public AppserviceAssert receivedMessage(String sender, String body) {
        return check(expect.appserviceReceivedMessage(id, sender, body));
    }

    /** Exactly {@code n} distinct transactions were acknowledged (a retried transaction counts once). */
    public AppserviceAssert receivedTransactions(int n) {
        return check(() -> {
            long got = as.pushes().stream().filter(RecordedTransaction::succeeded).map(RecordedTransaction::txnId)
                    .distinct().count();
            return got == n ? null : "Expecting appservice " + id + " to have acknowledged " + n
                    + (n == 1 ? " transaction" : " transactions") + "\nbut it acknowledged " + got + " ("
                    + WhatTheFakeSaw.count(as.pushes().size(), "attempt") + " in all).\nWhat the fake saw:\n" + as.transactions();
        });
    }

    // ---- what the homeserver asked -----------------------------------------------------------------------------

    /** The homeserver asked the appservice whether this user exists ({@code GET /_matrix/app/v1/users/...}). */
    public AppserviceAssert wasQueriedForUser(String userId) {
        return queried(RecordedTransaction.Kind.USER_QUERY, "User", userId, () -> {
            if (probe.hs.findUser(userId).isPresent()) {
                return userId + " is known to the fake, which asks only about users it does not know.";
            }
            Registration r = probe.hs.registration(id);
            return r.users().stream().anyMatch(ns -> ns.matches(userId)) ? null
                    : userId + " is in none of " + id + "'s users namespaces " + r.users().stream()
                    .map(Namespace::regex).toList() + ".";
        });
    }

    /** The homeserver asked the appservice whether this alias exists ({@code GET /_matrix/app/v1/rooms/...}). */
    public AppserviceAssert wasQueriedForAlias(String alias) {
        return queried(RecordedTransaction.Kind.ALIAS_QUERY, "Alias", alias, () -> {
            if (probe.hs.findRoom(alias).isPresent()) {
                return alias + " exists, and the fake asks only about missing aliases.";
            }
            Registration r = probe.hs.registration(id);
            return r.aliases().stream().anyMatch(ns -> ns.matches(alias)) ? null
                    : alias + " is in none of " + id + "'s aliases namespaces " + r.aliases().stream()
                    .map(Namespace::regex).toList() + ".";
        });
    }

    private AppserviceAssert queried(RecordedTransaction.Kind kind, String what, String asked, Supplier<String> why) {
        return check(() -> {
            if (probe.hs.transactions().of(id, kind).stream().anyMatch(q -> asked.equals(AppserviceSeen.asked(q)))) {
                return null;
            }
            String reason = why.get();
            return "Expecting appservice " + id + " to have been asked about " + asked + "\nbut it was not."
                    + (reason == null ? "" : "\n" + reason) + "\nWhat the fake saw:\n" + as.queries(kind, what);
        });
    }

    // ---- push state --------------------------------------------------------------------------------------------

    /** The homeserver has marked the appservice down after a failed transaction, and retries it on a backoff. */
    public AppserviceAssert isDown() {
        return check(expect.appserviceIsDown(id));
    }

    /**
     * Nothing is queued for the appservice and no request to it is open: everything pushed so far was answered, so
     * whatever it did in reaction has reached the fake (the assertion form of {@code hs.awaitAppserviceIdle}).
     */
    public AppserviceAssert isIdle() {
        return check(expect.appserviceIsIdle(id));
    }

    /** The homeserver does not consider the appservice down (nothing waits for a retry). */
    public AppserviceAssert isUp() {
        return check(expect.appserviceIsUp(id));
    }

    // ---- what the appservice asked of the homeserver -------------------------------------------------------------

    /** The appservice made a request with this method ({@code *} for any) and path pattern. */
    public AppserviceAssert madeRequest(String method, String pathPattern) {
        return check(() -> probe.hs.journal().requests(WhatTheFakeSaw.request(method, pathPattern)
                .and(r -> id.equals(r.appserviceId()))).isEmpty()
                ? "Expecting appservice " + id + " to have made a request " + method + " " + pathPattern
                + "\nbut it made none.\nWhat the fake saw:\n" + seen.journalOf(WhatTheFakeSaw.setOf(), WhatTheFakeSaw.setOf(id))
                : null);
    }

    /** None of the appservice's requests was refused, injected faults aside. */
    public AppserviceAssert hasNoViolations() {
        return check(() -> {
            var v = probe.hs.violations().stream().filter(x -> id.equals(x.request().appserviceId())).toList();
            return v.isEmpty() ? null : "Expecting appservice " + id + " to have had no request refused\n"
                    + "but " + v.size() + " were.\n" + WhatTheFakeSaw.list("Violations", v);
        });
    }

    /** Runs the conformance kit on this appservice and fails with its table unless it conforms to {@code level}. */
    public AppserviceAssert conformsTo(dev.fakehomeserver.conformance.Level level) {
        return conformsTo(level, null);
    }

    /** The same, with a probe: a message the appservice reacts to, so "processed once" is observed. */
    public AppserviceAssert conformsTo(dev.fakehomeserver.conformance.Level level, String probeMessage) {
        ConformanceAssertion.check(probe.hs, id, level, probeMessage);
        return this;
    }
}
