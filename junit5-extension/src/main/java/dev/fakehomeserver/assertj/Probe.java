package dev.fakehomeserver.assertj;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.journal.PathPattern;
import dev.fakehomeserver.journal.RecordedRequest;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The shared machinery of the asserts: the server, how long to wait, the check loop, and "what the fake saw".
 * A check is a supplier of the failure message, null when the expectation holds; it re-reads the live server each
 * time it runs, so waiting works on any assertion.
 */
final class Probe {
    static final int SHOWN = 20;
    final Homeserver hs;
    final Duration wait;

    Probe(Homeserver hs, Duration wait) {
        this.hs = hs;
        this.wait = wait;
    }

    Probe waiting(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative wait " + d);
        }
        return new Probe(hs, d);
    }

    /**
     * Runs the check at once and, when waiting, again after every change of the server until it passes or the
     * wait is over (nothing blocks without a timeout). Returns the last failure message, or null.
     */
    String run(Supplier<String> check) {
        if (wait.isZero()) {
            return check.get();
        }
        String[] last = new String[1];
        boolean ok = hs.waitUntil(() -> (last[0] = check.get()) == null, wait);
        if (ok) {
            return null;
        }
        String msg = last[0] != null ? last[0] : check.get();
        return msg == null ? null : msg.replaceFirst("\n", " (waited " + human(wait) + ")\n");
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    // ---- what the fake saw -----------------------------------------------------------------------------------

    static String timeline(RoomView room) {
        List<EventView> tl = room.timeline();
        StringBuilder sb = new StringBuilder("Timeline of ").append(room.roomId());
        if (room.canonicalAlias() != null) {
            sb.append(" (").append(room.canonicalAlias()).append(')');
        }
        sb.append(tl.size() > SHOWN ? ", last " + SHOWN + " of " + tl.size() + " events:" : ", " + tl.size() + " events:");
        tl.subList(Math.max(0, tl.size() - SHOWN), tl.size()).forEach(e -> sb.append("\n  ").append(e));
        return sb.toString();
    }

    /** The journal lines of these users and appservices (null entries ignored), last {@value #SHOWN}. */
    String journalOf(Set<String> users, Set<String> appservices) {
        List<RecordedRequest> mine = hs.journal().requests(r -> (r.userId() != null && users.contains(r.userId()))
                || (r.appserviceId() != null && appservices.contains(r.appserviceId())));
        StringBuilder sb = new StringBuilder("Journal of ").append(describe(users, appservices));
        lines(sb, mine);
        return sb.toString();
    }

    String journalAll() {
        StringBuilder sb = new StringBuilder("Journal");
        lines(sb, hs.journal().requests());
        return sb.toString();
    }

    private static void lines(StringBuilder sb, List<RecordedRequest> rs) {
        if (rs.isEmpty()) {
            sb.append(": no requests");
            return;
        }
        sb.append(rs.size() > SHOWN ? ", last " + SHOWN + " of " + rs.size() + " requests:" : ", " + rs.size()
                + " requests:");
        rs.subList(Math.max(0, rs.size() - SHOWN), rs.size()).forEach(r -> sb.append("\n  ").append(r));
    }

    private static String describe(Set<String> users, Set<String> appservices) {
        StringBuilder sb = new StringBuilder();
        users.stream().sorted().forEach(u -> sb.append(sb.length() == 0 ? "" : ", ").append(u));
        appservices.stream().sorted().forEach(a -> sb.append(sb.length() == 0 ? "" : ", ").append("appservice ")
                .append(a));
        return sb.toString();
    }

    /** The appservice that owns a user, or null. */
    String owner(String userId) {
        return hs.findUser(userId).map(u -> u.appserviceId()).orElse(null);
    }

    static Set<String> setOf(String... values) {
        java.util.Set<String> s = new java.util.TreeSet<>();
        for (String v : values) {
            if (v != null) {
                s.add(v);
            }
        }
        return s;
    }

    static String list(String title, List<?> items) {
        StringBuilder sb = new StringBuilder(title).append(':');
        items.forEach(i -> sb.append("\n  ").append(i));
        return sb.toString();
    }

    /** Journal requests with this method ({@code *} for any) and a path glob like the fault rules'. */
    static Predicate<RecordedRequest> request(String method, String pathPattern) {
        PathPattern p = PathPattern.of(pathPattern);
        return r -> ("*".equals(method) || method.equalsIgnoreCase(r.method())) && p.matches(r.shortPath());
    }
}
