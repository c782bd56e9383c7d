package dev.fakehomeserver.expect;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.journal.PathPattern;
import dev.fakehomeserver.journal.RecordedRequest;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * "What the fake saw", the part of every failure message after the expectation: a room's timeline, the journal of
 * the users and appservices concerned, and the appservice section when the awaited user belongs to an appservice.
 * The AssertJ assertions, the control API's waits and {@link Expectations} build their messages from it; a custom
 * assertion can too, so its failures read like the library's.
 *
 * <pre>{@code
 * WhatTheFakeSaw seen = new WhatTheFakeSaw(hs);
 * throw new AssertionError("Expecting the bot to greet @alice:test\nbut it did not.\nWhat the fake saw:\n"
 *         + WhatTheFakeSaw.timeline(hs.room(room)) + "\n" + seen.journalOfUser("@weatherbot:test"));
 * }</pre>
 */
public final class WhatTheFakeSaw {
    /** How many lines of a timeline, journal or transaction list a message shows (the last ones). */
    public static final int SHOWN = Phrases.SHOWN;
    private static final Pattern TXN_PATH = Pattern.compile("/rooms/[^/]+/(send/[^/]+|redact/[^/]+)/[^/]+");
    final Homeserver hs;

    /** What {@code hs} saw, read live at each call. */
    public WhatTheFakeSaw(Homeserver hs) {
        this.hs = hs;
    }

    /** The same for one appservice: its transactions, push state and why an event was or was not pushed. */
    public AppserviceSeen appservice(String appserviceId) {
        return new AppserviceSeen(hs, appserviceId);
    }

    /** The room's timeline, last {@value #SHOWN} events, one line each. */
    public static String timeline(RoomView room) {
        List<EventView> tl = room.timeline();
        StringBuilder sb = new StringBuilder("Timeline of ").append(room.roomId());
        if (room.canonicalAlias() != null) {
            sb.append(" (").append(room.canonicalAlias()).append(')');
        }
        sb.append(tl.size() > SHOWN ? ", last " + SHOWN + " of " + tl.size() + " events:" : ", " + count(tl.size(),
                "event") + ":");
        tl.subList(Math.max(0, tl.size() - SHOWN), tl.size()).forEach(e -> sb.append("\n  ").append(e));
        return sb.toString();
    }

    /** The journal lines of this user and of the appservice that owns it, last {@value #SHOWN}. */
    public String journalOfUser(String userId) {
        return journalOf(setOf(userId), setOf(owner(userId)));
    }

    /** The journal lines of these users and appservices (null entries ignored), last {@value #SHOWN}. */
    public String journalOf(Set<String> users, Set<String> appservices) {
        List<RecordedRequest> mine = hs.journal().requests(r -> (r.userId() != null && users.contains(r.userId()))
                || (r.appserviceId() != null && appservices.contains(r.appserviceId())));
        StringBuilder sb = new StringBuilder("Journal of ").append(describe(users, appservices));
        lines(sb, mine);
        return sb.toString();
    }

    /** The whole journal, last {@value #SHOWN} requests. */
    public String journalAll() {
        StringBuilder sb = new StringBuilder("Journal");
        lines(sb, hs.journal().requests());
        return sb.toString();
    }

    private static void lines(StringBuilder sb, List<RecordedRequest> rs) {
        if (rs.isEmpty()) {
            sb.append(": no requests");
            return;
        }
        sb.append(rs.size() > SHOWN ? ", last " + SHOWN + " of " + rs.size() + " requests:"
                : ", " + count(rs.size(), "request") + ":");
        Map<String, Long> firstOfTxn = new HashMap<>();
        for (int i = 0; i < rs.size(); i++) {
            RecordedRequest r = rs.get(i);
            String txn = txnKey(r);
            Long first = txn == null || r.refused() ? null : firstOfTxn.putIfAbsent(txn, r.seq());
            if (i >= rs.size() - SHOWN) {
                sb.append("\n  ").append(r);
                if (first != null) {
                    sb.append(" (answered with the event of #").append(first).append(": same txnId)");
                }
            }
        }
    }

    /**
     * The key under which a send or redaction is deduplicated (as Synapse does: the same txnId from the same
     * requester and device gets the first event back), or null for other requests.
     */
    private static String txnKey(RecordedRequest r) {
        if (!"PUT".equals(r.method()) || !TXN_PATH.matcher(r.shortPath()).matches()) {
            return null;
        }
        return r.appserviceId() + " " + r.userId() + " " + r.deviceId() + " " + r.shortPath();
    }

    private static String describe(Set<String> users, Set<String> appservices) {
        StringBuilder sb = new StringBuilder();
        users.stream().sorted().forEach(u -> sb.append(sb.length() == 0 ? "" : ", ").append(u));
        appservices.stream().sorted().forEach(a -> sb.append(sb.length() == 0 ? "" : ", ").append("appservice ")
                .append(a));
        return sb.toString();
    }

    /** The failure of an assertion on a room that does not exist: the rooms there are, and the journal. */
    public String roomMissing(String roomIdOrAlias) {
        return "Expecting room " + roomIdOrAlias + " to exist\nbut the fake has no such room.\nWhat the fake saw:\n"
                + list("Rooms", hs.rooms()) + "\n" + journalAll();
    }

    /**
     * "What the fake saw" for a timeline expectation: the timeline, the journal of {@code sender} (null for
     * none), the near misses, and the appservice section when {@code sender} belongs to an appservice.
     */
    public String aroundTimeline(RoomView room, String sender, List<EventView> near) {
        StringBuilder sb = new StringBuilder("What the fake saw:\n").append(timeline(room));
        if (sender != null) {
            sb.append('\n').append(journalOfUser(sender));
        }
        if (!near.isEmpty()) {
            sb.append('\n').append(list("Near misses", near));
        }
        if (sender != null) {
            sb.append(appserviceSectionFor(sender, lastEventNotFromOwnerOf(room, sender)));
        }
        return sb.toString();
    }

    /**
     * The appservice a user belongs to, or null: the one the fake recorded for a known user, else the one whose
     * sender it is or whose exclusive users namespace claims it (a user the appservice has yet to register).
     */
    public String owner(String userId) {
        if (userId == null) {
            return null;
        }
        var known = hs.findUser(userId);
        if (known.isPresent()) {
            return known.get().appserviceId();
        }
        for (Registration r : hs.registrations()) {
            if (userId.equals("@" + r.senderLocalpart() + ":" + hs.serverName())
                    || r.users().stream().anyMatch(n -> n.exclusive() && n.matches(userId))) {
                return r.id();
            }
        }
        return null;
    }

    /**
     * The appservice section of a failure about {@code userId}, or an empty string when no appservice owns it:
     * the push state, the last transactions with their answers, and what became of {@code relevant}, the last
     * event the appservice had to see for the expectation to come true (null when there is none).
     */
    public String appserviceSectionFor(String userId, EventView relevant) {
        String owner = owner(userId);
        return owner == null ? "" : "\n" + appservice(owner).section(userId, relevant);
    }

    /** The last event of the room not sent by the appservice owning {@code userId}: what it should react to. */
    public EventView lastEventNotFromOwnerOf(RoomView room, String userId) {
        String owner = owner(userId);
        List<EventView> tl = room.timeline();
        for (int i = tl.size() - 1; i >= 0; i--) {
            if (owner == null || !owner.equals(owner(tl.get(i).sender()))) {
                return tl.get(i);
            }
        }
        return null;
    }

    /** The non-null values, sorted. */
    public static Set<String> setOf(String... values) {
        Set<String> s = new TreeSet<>();
        for (String v : values) {
            if (v != null) {
                s.add(v);
            }
        }
        return s;
    }

    /** A title, then one indented line per item. */
    public static String list(String title, List<?> items) {
        return Phrases.list(title, items);
    }

    /** "1 event", "2 events". */
    public static String count(long n, String noun) {
        return Phrases.count(n, noun);
    }

    /** Journal requests with this method ({@code *} for any) and a path glob like the fault rules'. */
    public static Predicate<RecordedRequest> request(String method, String pathPattern) {
        PathPattern p = PathPattern.of(pathPattern);
        return r -> ("*".equals(method) || method.equalsIgnoreCase(r.method())) && p.matches(r.shortPath());
    }
}
