package dev.fakehomeserver.expect;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * "What the fake saw" for one appservice: the requests it sent there (read from {@code hs.transactions()}), its
 * push state, and why an event was or was not pushed (the interest rules, spelled out against the registration).
 *
 * <pre>{@code
 * AppserviceSeen as = new WhatTheFakeSaw(hs).appservice("weather");
 * if (!as.idle()) {
 *     throw new AssertionError("the bot is still busy: " + as.state() + "\n" + as.transactions());
 * }
 * }</pre>
 */
public final class AppserviceSeen {
    /** Transactions shown in the appservice section of a room, timeline or user failure. */
    private static final int SECTION_SHOWN = 5;
    private static final int ANSWER_SHOWN = 80;
    private static final String ON_ITS_WAY = "It may still be on its way: ";
    private final Homeserver hs;
    private final String id;

    AppserviceSeen(Homeserver hs, String appserviceId) {
        this.hs = hs;
        this.id = appserviceId;
    }

    /** The transaction pushes to the appservice, one record per attempt, oldest first. */
    public List<RecordedTransaction> pushes() {
        return hs.transactions().of(id, RecordedTransaction.Kind.TRANSACTION);
    }

    /** Event ids in transactions the appservice acknowledged, in order, without repeats. */
    public Set<String> delivered() {
        Set<String> out = new LinkedHashSet<>();
        pushes().stream().filter(RecordedTransaction::succeeded).forEach(t -> out.addAll(t.eventIds()));
        return out;
    }

    /** The events of {@link #delivered()}, as the fake holds them. */
    public List<EventView> deliveredEvents() {
        return delivered().stream().map(hs::event).flatMap(Optional::stream).toList();
    }

    /** Every transaction attempt, last {@value WhatTheFakeSaw#SHOWN}, each with its events, then the push state. */
    public String transactions() {
        List<RecordedTransaction> ts = pushes();
        StringBuilder sb = new StringBuilder("Transactions sent to ").append(id);
        if (ts.isEmpty()) {
            sb.append(": none");
        } else {
            sb.append(ts.size() > Phrases.SHOWN ? ", last " + Phrases.SHOWN + " of " + ts.size() + " attempts:"
                    : ", " + Phrases.count(ts.size(), "attempt") + ":");
            for (RecordedTransaction t : ts.subList(Math.max(0, ts.size() - Phrases.SHOWN), ts.size())) {
                sb.append("\n  #").append(t.seq()).append(" txn ").append(t.txnId()).append(", attempt ")
                        .append(t.attempt()).append(" -> ").append(t.status() == 0 ? "no answer" : t.status());
                failure(sb, t);
                for (String e : t.eventIds()) {
                    sb.append("\n      ").append(hs.event(e).map(Object::toString).orElse(e));
                }
            }
        }
        return sb.append('\n').append(state()).toString();
    }

    /**
     * The appservice section of a room, timeline or user failure about {@code userId}, one of this appservice's
     * users: its url, push state, last {@value #SECTION_SHOWN} transactions with their answers, and what became of
     * {@code relevant}, the last event it had to see (null when there is none).
     */
    String section(String userId, EventView relevant) {
        Registration r = hs.registration(id);
        StringBuilder sb = new StringBuilder("Appservice ").append(id).append(", which ").append(userId)
                .append(" belongs to:\n  ");
        sb.append(r.url() == null || r.url().isEmpty() ? "url: none"
                : "url: " + r.url()).append("\n  ").append(state());
        List<RecordedTransaction> ts = pushes();
        if (ts.isEmpty()) {
            sb.append("\n  Transactions: none");
        } else {
            sb.append(ts.size() > SECTION_SHOWN ? "\n  Last " + SECTION_SHOWN + " of " + ts.size() + " transaction attempts:"
                    : "\n  Transactions, " + Phrases.count(ts.size(), "attempt") + ":");
            for (RecordedTransaction t : ts.subList(Math.max(0, ts.size() - SECTION_SHOWN), ts.size())) {
                sb.append("\n    #").append(t.seq()).append(" txn ").append(t.txnId()).append(", attempt ")
                        .append(t.attempt()).append(", ").append(Phrases.count(t.eventIds().size(), "event"))
                        .append(" -> ").append(t.status() == 0 ? "no answer" : t.status() + answer(t));
                failure(sb, t);
            }
        }
        if (relevant != null) {
            sb.append("\n  The last event ").append(id).append(" had to see: ").append(relevant).append("\n  ")
                    .append(fateOf(relevant).replace("\n", "\n  "));
        }
        return sb.toString();
    }

    /** Acknowledged, pushed but failed, or never pushed (and why). */
    private String fateOf(EventView e) {
        List<RecordedTransaction> tried = pushes().stream().filter(t -> t.eventIds().contains(e.eventId())).toList();
        Optional<RecordedTransaction> ok = tried.stream().filter(RecordedTransaction::succeeded).findFirst();
        if (ok.isPresent()) {
            return id + " acknowledged it (txn " + ok.get().txnId() + ", #" + ok.get().seq()
                    + ") and has not done what was expected since: its requests are in the journal.";
        }
        if (!tried.isEmpty()) {
            RecordedTransaction last = tried.get(tried.size() - 1);
            return "It was pushed but not acknowledged (" + Phrases.count(tried.size(), "attempt") + ", last: "
                    + last.error() + ").";
        }
        String why = whyNotPushed(e);
        return (why.startsWith(ON_ITS_WAY) ? "It has not been pushed yet. " : "It was never pushed there. ") + why;
    }

    /** The answer's body after the status, shortened: what the appservice said. */
    private static String answer(RecordedTransaction t) {
        String body = t.responseBody() == null ? "" : t.responseBody().strip().replace('\n', ' ');
        if (body.isEmpty()) {
            return "";
        }
        return " " + (body.length() > ANSWER_SHOWN ? body.substring(0, ANSWER_SHOWN) + "..." : body);
    }

    /** " FAILED: why", with a hint where the status nearly always has one cause. */
    private static void failure(StringBuilder sb, RecordedTransaction t) {
        if (t.error() == null) {
            return;
        }
        sb.append(" FAILED: ").append(t.error());
        if (t.status() == 401 || t.status() == 403) {
            sb.append("\n      hint: an appservice answers ").append(t.status()).append(" nearly always because it "
                    + "refuses the hs_token; check that it expects the registration's hs_token, which the fake sends "
                    + "as \"Authorization: Bearer\" and as ?access_token=");
        }
    }

    /** One line on the pusher: up or down, what waits, when the next retry is due. */
    public String state() {
        AppserviceStatus s = hs.appserviceStatus(id);
        StringBuilder sb = new StringBuilder("Push state of ").append(id).append(": ");
        if (s.down()) {
            sb.append("down, ").append(Phrases.count(s.queuedTransactions(), "transaction")).append(" waiting");
            if (s.nextRetry() != null) {
                sb.append(", next retry at ").append(s.nextRetry()).append(" (backoff ").append(s.backoffSeconds())
                        .append(" s)");
            }
        } else {
            sb.append("up");
        }
        if (s.inFlight()) {
            sb.append(", a request in flight");
        }
        if (s.queuedEvents() > 0) {
            sb.append(", ").append(Phrases.count(s.queuedEvents(), "event")).append(" not yet in a transaction");
        }
        return sb.toString();
    }

    /** Whether nothing is queued for the appservice and no request to it is open (as {@code awaitAppserviceIdle}). */
    public boolean idle() {
        AppserviceStatus s = hs.appserviceStatus(id);
        return !s.down() && !s.inFlight() && s.queuedTransactions() == 0 && s.queuedEvents() == 0
                && s.queuedEphemeral() == 0;
    }

    /** Why an event that is in no transaction was not pushed: no url, still queued, or no interest (spelled out). */
    public String whyNotPushed(EventView e) {
        Registration r = hs.registration(id);
        if (r.url() == null || r.url().isEmpty()) {
            return id + " has no url, so the fake sends it nothing (as Synapse does).";
        }
        AppserviceStatus s = hs.appserviceStatus(id);
        if (s.down() || s.inFlight() || s.queuedEvents() > 0) {
            return ON_ITS_WAY + state() + ".";
        }
        String senderUser = "@" + r.senderLocalpart() + ":" + hs.serverName();
        StringBuilder sb = new StringBuilder("The fake found ").append(id).append(" not interested in it:");
        sb.append("\n  sender ").append(e.sender()).append(userMatch(r, senderUser, e.sender()));
        if ("m.room.member".equals(e.type()) && e.stateKey() != null) {
            sb.append("\n  member ").append(e.stateKey()).append(userMatch(r, senderUser, e.stateKey()));
        }
        Optional<RoomView> room = hs.findRoom(e.roomId());
        sb.append("\n  room ").append(e.roomId()).append(r.rooms().stream().anyMatch(n -> n.matches(e.roomId()))
                ? ": matches a rooms namespace" : ": matches no rooms namespace");
        room.ifPresent(v -> {
            sb.append("\n  aliases of the room: ").append(v.aliases().isEmpty() ? "none" : v.aliases()
                    + (v.aliases().stream().anyMatch(a -> r.aliases().stream().anyMatch(n -> n.matches(a)))
                    ? "" : ", none in an aliases namespace"));
            Set<String> joined = v.joinedMembers();
            sb.append("\n  joined members: ").append(joined).append(joined.stream().anyMatch(u -> u.equals(senderUser)
                    || r.users().stream().anyMatch(n -> n.matches(u))) ? "" : ", none in a users namespace");
        });
        sb.append("\n  namespaces of ").append(id).append(": users ").append(regexes(r.users())).append(", aliases ")
                .append(regexes(r.aliases())).append(", rooms ").append(regexes(r.rooms()));
        return sb.toString();
    }

    private static String userMatch(Registration r, String senderUser, String user) {
        if (user.equals(senderUser)) {
            return " is the appservice's sender";
        }
        return r.users().stream().anyMatch(n -> n.matches(user)) ? " matches a users namespace"
                : " matches no users namespace";
    }

    private static String regexes(List<Namespace> ns) {
        return ns.stream().map(Namespace::regex).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The queries of this kind, one line each, with the id asked for decoded. */
    public String queries(RecordedTransaction.Kind kind, String what) {
        List<RecordedTransaction> qs = hs.transactions().of(id, kind);
        if (qs.isEmpty()) {
            return what + " queries sent to " + id + ": none";
        }
        return Phrases.list(what + " queries sent to " + id, qs.stream().map(q -> "#" + q.seq() + " " + asked(q)
                + " -> " + (q.status() == 0 ? "no answer" : q.status()) + (q.error() == null ? "" : " FAILED: "
                + q.error())).toList());
    }

    /** The user id or alias a query asked for: the last path segment, decoded. */
    public static String asked(RecordedTransaction q) {
        String seg = q.path().substring(q.path().lastIndexOf('/') + 1);
        return URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
