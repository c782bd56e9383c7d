package dev.fakehomeserver.assertj;

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
 * push state, and why an event was never pushed (the interest rules, spelled out against the registration).
 */
final class AppserviceSeen {
    private final Probe probe;
    private final String id;

    AppserviceSeen(Probe probe, String appserviceId) {
        this.probe = probe;
        this.id = appserviceId;
    }

    List<RecordedTransaction> pushes() {
        return probe.hs.transactions().of(id, RecordedTransaction.Kind.TRANSACTION);
    }

    /** Event ids in transactions the appservice acknowledged, in order, without repeats. */
    Set<String> delivered() {
        Set<String> out = new LinkedHashSet<>();
        pushes().stream().filter(RecordedTransaction::succeeded).forEach(t -> out.addAll(t.eventIds()));
        return out;
    }

    List<EventView> deliveredEvents() {
        return delivered().stream().map(probe.hs::event).flatMap(Optional::stream).toList();
    }

    /** Every transaction attempt, last {@value Probe#SHOWN}, each with its events, then the push state. */
    String transactions() {
        List<RecordedTransaction> ts = pushes();
        StringBuilder sb = new StringBuilder("Transactions sent to ").append(id);
        if (ts.isEmpty()) {
            sb.append(": none");
        } else {
            sb.append(ts.size() > Probe.SHOWN ? ", last " + Probe.SHOWN + " of " + ts.size() + " attempts:"
                    : ", " + ts.size() + (ts.size() == 1 ? " attempt:" : " attempts:"));
            for (RecordedTransaction t : ts.subList(Math.max(0, ts.size() - Probe.SHOWN), ts.size())) {
                sb.append("\n  #").append(t.seq()).append(" txn ").append(t.txnId()).append(", attempt ")
                        .append(t.attempt()).append(" -> ").append(t.status() == 0 ? "no answer" : t.status());
                if (t.error() != null) {
                    sb.append(" FAILED: ").append(t.error());
                }
                for (String e : t.eventIds()) {
                    sb.append("\n      ").append(probe.hs.event(e).map(Object::toString).orElse(e));
                }
            }
        }
        return sb.append('\n').append(state()).toString();
    }

    /** One line on the pusher: up or down, what waits, when the next retry is due. */
    String state() {
        AppserviceStatus s = probe.hs.appserviceStatus(id);
        StringBuilder sb = new StringBuilder("Push state of ").append(id).append(": ");
        if (s.down()) {
            sb.append("down, ").append(s.queuedTransactions()).append(s.queuedTransactions() == 1
                    ? " transaction" : " transactions").append(" waiting");
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
            sb.append(", ").append(s.queuedEvents()).append(" events not yet in a transaction");
        }
        return sb.toString();
    }

    /** Why an event that is in no transaction was not pushed: still queued, or no interest (spelled out). */
    String whyNotPushed(EventView e) {
        AppserviceStatus s = probe.hs.appserviceStatus(id);
        if (s.down() || s.inFlight() || s.queuedEvents() > 0) {
            return "It may still be on its way: " + state() + ".";
        }
        Registration r = probe.hs.registration(id);
        String senderUser = "@" + r.senderLocalpart() + ":" + probe.hs.serverName();
        StringBuilder sb = new StringBuilder("The fake found ").append(id).append(" not interested in it:");
        sb.append("\n  sender ").append(e.sender()).append(userMatch(r, senderUser, e.sender()));
        if ("m.room.member".equals(e.type()) && e.stateKey() != null) {
            sb.append("\n  member ").append(e.stateKey()).append(userMatch(r, senderUser, e.stateKey()));
        }
        Optional<RoomView> room = probe.hs.findRoom(e.roomId());
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
    String queries(RecordedTransaction.Kind kind, String what) {
        List<RecordedTransaction> qs = probe.hs.transactions().of(id, kind);
        if (qs.isEmpty()) {
            return what + " queries sent to " + id + ": none";
        }
        return Probe.list(what + " queries sent to " + id, qs.stream().map(q -> "#" + q.seq() + " " + asked(q)
                + " -> " + (q.status() == 0 ? "no answer" : q.status()) + (q.error() == null ? "" : " FAILED: "
                + q.error())).toList());
    }

    /** The user id or alias a query asked for: the last path segment, decoded. */
    static String asked(RecordedTransaction q) {
        String seg = q.path().substring(q.path().lastIndexOf('/') + 1);
        return URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
