package dev.fakehomeserver.internal.journal;

import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.coverage.Coverage;
import dev.fakehomeserver.journal.RecordedRequest;
import dev.fakehomeserver.journal.RecordedTransaction;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.UnaryOperator;

/**
 * The one observer of {@link Behaviour}s: it counts, per appservice id, what the engine saw happen. The two
 * journals hand it every record as it is made ({@link #request}, {@link #transaction}: what the appservice asked
 * and was answered, and every push, query and ping with its answer), and the few places that see what no record
 * shows call {@link #saw} (the pusher's down and up, the interest router's pushed events, reset).
 *
 * <p>Never cleared: a reset is itself a behaviour, and the JUnit extension takes differences between snapshots.
 * Counting is a lookup and an atomic increment; the only state besides the counts is the few requests answered
 * with a 429 per appservice, waiting for their retry (bounded).
 */
public final class CoverageLog {
    /** Requests answered 429 that are remembered per appservice until sent again. */
    static final int MAX_RATE_LIMITED = 64;
    private static final Behaviour[] ALL = Behaviour.values();

    private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();
    /** Appservice id -> its sender user id (masquerading is acting as anyone else), or null when unknown. */
    private final UnaryOperator<String> senderOf;
    /** Appservice id -> the requests answered 429, as "method path user", oldest first. */
    private final Map<String, Set<String>> rateLimited = new LinkedHashMap<>();

    public CoverageLog(UnaryOperator<String> senderOf) {
        this.senderOf = senderOf;
    }

    /** Counts one occurrence of {@code b} for the appservice. */
    public void saw(String appserviceId, Behaviour b) {
        counts.computeIfAbsent(appserviceId, k -> new AtomicLongArray(ALL.length)).incrementAndGet(b.ordinal());
    }

    /** What the appservice asked and what it was answered (requests of others than appservices count nothing). */
    public void request(RecordedRequest r) {
        String as = r.appserviceId();
        if (as == null) {
            return;
        }
        String key = r.method() + ' ' + r.path() + ' ' + r.userId();
        if (r.status() == 429) {
            remember429(as, key);
            return;
        }
        if (r.refused()) {
            refused(as, r);
            return;
        }
        if (forget429(as, key)) {
            saw(as, Behaviour.RATE_LIMITED_RETRIED);
        }
        String path = r.path();
        String query = "&" + r.query();
        if (query.contains("&user_id=") && r.userId() != null && !r.userId().equals(senderOf.apply(as))) {
            saw(as, Behaviour.MASQUERADE);
        }
        if (query.contains("&ts=") && (path.contains("/send/") || path.contains("/state/"))) {
            saw(as, Behaviour.TIMESTAMP_MASSAGING);
        }
        if ("POST".equals(r.method()) && path.endsWith("/register")) {
            saw(as, Behaviour.GHOST_REGISTERED);
        } else if (path.contains("/media/")) {
            if (("POST".equals(r.method()) || "PUT".equals(r.method()))
                    && (path.contains("/upload") || path.contains("/create"))) {
                saw(as, Behaviour.MEDIA_UPLOAD);
            } else if ("GET".equals(r.method()) && (path.contains("/download/") || path.contains("/thumbnail/"))) {
                saw(as, Behaviour.MEDIA_DOWNLOAD);
            }
        }
    }

    private void refused(String as, RecordedRequest r) {
        String errcode = r.errcode() == null ? "" : r.errcode();
        switch (errcode) {
            case "M_EXCLUSIVE" -> saw(as, Behaviour.EXCLUSIVE_REFUSED);
            case "M_USER_IN_USE" -> saw(as, Behaviour.GHOST_ALREADY_REGISTERED);
            case "M_FORBIDDEN" -> {
                // The auth rules' power refusals all say "permission" (as Synapse's do); membership ones do not.
                String error = r.error() == null ? "" : r.error();
                if (error.contains("permission") || error.contains("power level")) {
                    saw(as, Behaviour.FORBIDDEN_POWER);
                }
            }
            default -> { }
        }
    }

    private void remember429(String as, String key) {
        synchronized (rateLimited) {
            Set<String> keys = rateLimited.computeIfAbsent(as, k -> new LinkedHashSet<>());
            keys.add(key);
            if (keys.size() > MAX_RATE_LIMITED) {
                Iterator<String> oldest = keys.iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    private boolean forget429(String as, String key) {
        synchronized (rateLimited) {
            Set<String> keys = rateLimited.get(as);
            return keys != null && keys.remove(key);
        }
    }

    /** A push, query, ping or lookup with its answer. */
    public void transaction(RecordedTransaction t) {
        String as = t.appserviceId();
        boolean reached = t.status() != 0;
        switch (t.kind()) {
            case TRANSACTION -> {
                if (t.isRetry()) {
                    saw(as, Behaviour.TRANSACTION_RETRIED);
                } else {
                    // Sizes are counted on the first attempt only, so a retried batch is not a second batch.
                    if (t.eventIds().size() > 1) {
                        saw(as, Behaviour.BATCH);
                    }
                    if (t.eventIds().size() >= 100) {
                        saw(as, Behaviour.FULL_TRANSACTION);
                    }
                }
            }
            case USER_QUERY -> count(as, reached, Behaviour.USER_QUERY);
            case ALIAS_QUERY -> count(as, t.succeeded(), Behaviour.ALIAS_QUERY);
            case PING -> count(as, reached, Behaviour.PING);
            case THIRDPARTY -> count(as, reached, Behaviour.THIRD_PARTY);
        }
    }

    private void count(String as, boolean when, Behaviour b) {
        if (when) {
            saw(as, b);
        }
    }

    /**
     * The counts so far: every appservice of {@code appserviceIds} (those registered now, in order, even with
     * nothing covered), then any other that covered something (one removed since).
     */
    public Coverage snapshot(List<String> appserviceIds) {
        Map<String, Map<Behaviour, Long>> out = new LinkedHashMap<>();
        for (String id : appserviceIds) {
            out.put(id, read(counts.get(id)));
        }
        counts.forEach((id, c) -> out.putIfAbsent(id, read(c)));
        return Coverage.of(out);
    }

    private static Map<Behaviour, Long> read(AtomicLongArray c) {
        Map<Behaviour, Long> m = new EnumMap<>(Behaviour.class);
        if (c != null) {
            for (Behaviour b : ALL) {
                long n = c.get(b.ordinal());
                if (n > 0) {
                    m.put(b, n);
                }
            }
        }
        return m;
    }
}
