package dev.fakehomeserver.assertj;

import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
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
        this.as = new AppserviceSeen(seen, appserviceId);
    }

    @Override
    AppserviceAssert with(Probe p) {
        return new AppserviceAssert(p, id);
    }

    // ---- what the homeserver pushed ----------------------------------------------------------------------------

    /** The appservice acknowledged a transaction holding this event. */
    public AppserviceAssert receivedEvent(String eventId) {
        return check(() -> {
            if (as.delivered().contains(eventId)) {
                return null;
            }
            String head = "Expecting appservice " + id + " to have received event " + eventId + "\n";
            Optional<EventView> e = probe.hs.event(eventId);
            if (e.isEmpty()) {
                return head + "but the fake has no such event.\nWhat the fake saw:\n" + as.transactions();
            }
            List<RecordedTransaction> tried = as.pushes().stream().filter(t -> t.eventIds().contains(eventId))
                    .toList();
            String but = tried.isEmpty() ? "but it was never pushed there.\n" + as.whyNotPushed(e.get())
                    : "but every attempt to push it failed (" + Seen.count(tried.size(), "attempt")
                    + ", last: " + (tried.get(tried.size() - 1).error()) + ").\n" + as.state() + ".";
            return head + but + "\nWhat the fake saw:\n" + e.get() + "\n" + as.transactions();
        });
    }

    /** The appservice acknowledged a transaction holding an event of this type. */
    public AppserviceAssert receivedEventOfType(String type) {
        return receivedMatching("an event of type " + type, e -> e.type().equals(type));
    }

    /** The appservice acknowledged a transaction holding an {@code m.room.message} from this sender with this body. */
    public AppserviceAssert receivedMessage(String sender, String body) {
        return receivedMatching("a message from " + sender + " with body \"" + body + "\"",
                e -> e.isMessage(sender, body));
    }

    private AppserviceAssert receivedMatching(String description, Predicate<EventView> which) {
        return check(() -> {
            List<EventView> got = as.deliveredEvents();
            if (got.stream().anyMatch(which)) {
                return null;
            }
            List<EventView> near = probe.hs.rooms().stream().flatMap(r -> r.timeline().stream()).filter(which)
                    .toList();
            StringBuilder sb = new StringBuilder("Expecting appservice " + id + " to have received " + description
                    + (got.isEmpty() ? "\nbut it acknowledged no event.\n"
                    : "\nbut none of the " + got.size() + " events it acknowledged is one.\n"));
            if (near.isEmpty()) {
                sb.append("The fake holds no such event in any room.\n");
            } else {
                EventView first = near.get(0);
                sb.append(Seen.list("Near misses (the fake holds them, " + id + " did not acknowledge them)", near))
                        .append('\n');
                if (as.pushes().stream().noneMatch(t -> t.eventIds().contains(first.eventId()))) {
                    sb.append(first.eventId()).append(" was never pushed there. ").append(as.whyNotPushed(first))
                            .append('\n');
                }
            }
            return sb.append("What the fake saw:\n").append(as.transactions()).toString();
        });
    }

    /** Exactly {@code n} distinct transactions were acknowledged (a retried transaction counts once). */
    public AppserviceAssert receivedTransactions(int n) {
        return check(() -> {
            long got = as.pushes().stream().filter(RecordedTransaction::succeeded).map(RecordedTransaction::txnId)
                    .distinct().count();
            return got == n ? null : "Expecting appservice " + id + " to have acknowledged " + n
                    + (n == 1 ? " transaction" : " transactions") + "\nbut it acknowledged " + got + " ("
                    + Seen.count(as.pushes().size(), "attempt") + " in all).\nWhat the fake saw:\n" + as.transactions();
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
        return check(() -> probe.hs.appserviceStatus(id).down() ? null
                : "Expecting appservice " + id + " to be down\nbut the fake sees it up.\nWhat the fake saw:\n"
                + as.transactions());
    }

    /**
     * Nothing is queued for the appservice and no request to it is open: everything pushed so far was answered, so
     * whatever it did in reaction has reached the fake (the assertion form of {@code hs.awaitAppserviceIdle}).
     */
    public AppserviceAssert isIdle() {
        return check(() -> as.idle() ? null : "Expecting appservice " + id + " to be idle\nbut it is not: "
                + as.state() + ".\nWhat the fake saw:\n" + as.transactions());
    }

    /** The homeserver does not consider the appservice down (nothing waits for a retry). */
    public AppserviceAssert isUp() {
        return check(() -> !probe.hs.appserviceStatus(id).down() ? null
                : "Expecting appservice " + id + " to be up\nbut the fake sees it down.\nWhat the fake saw:\n"
                + as.transactions());
    }

    // ---- what the appservice asked of the homeserver -------------------------------------------------------------

    /** The appservice made a request with this method ({@code *} for any) and path pattern. */
    public AppserviceAssert madeRequest(String method, String pathPattern) {
        return check(() -> probe.hs.journal().requests(Seen.request(method, pathPattern)
                .and(r -> id.equals(r.appserviceId()))).isEmpty()
                ? "Expecting appservice " + id + " to have made a request " + method + " " + pathPattern
                + "\nbut it made none.\nWhat the fake saw:\n" + seen.journalOf(Seen.setOf(), Seen.setOf(id))
                : null);
    }

    /** None of the appservice's requests was refused, injected faults aside. */
    public AppserviceAssert hasNoViolations() {
        return check(() -> {
            var v = probe.hs.violations().stream().filter(x -> id.equals(x.request().appserviceId())).toList();
            return v.isEmpty() ? null : "Expecting appservice " + id + " to have had no request refused\n"
                    + "but " + v.size() + " were.\n" + Seen.list("Violations", v);
        });
    }

}
