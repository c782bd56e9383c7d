package dev.fakehomeserver.coverage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which behaviours of the {@link Behaviour catalogue} a homeserver made happen, how often, per appservice
 * registration id, since it started: an immutable snapshot from {@code hs.coverage()}. A reset does not clear it
 * (a reset is itself a behaviour), so a server shared by a test class covers the whole class.
 *
 * <pre>{@code
 * Coverage seen = hs.coverage();
 * assertThat(seen.count("weather", Behaviour.TRANSACTION_RETRIED)).isPositive();
 * System.out.println(seen.covered("weather").size() + " of " + Behaviour.values().length
 *         + "; missing: " + seen.missing("weather"));
 * Coverage thisTest = hs.coverage().since(before);   // what one test added
 * Coverage both = thisTest.plus(otherServer.coverage());
 * }</pre>
 *
 * <p>The JUnit extension turns these snapshots into the suite's report ({@code target/fake-homeserver/coverage.md},
 * docs/coverage.md); the standalone jar serves it as {@code GET /_fakehs/v1/coverage}.
 */
public final class Coverage {
    private static final Coverage EMPTY = new Coverage(Map.of());

    /** Appservice id (registration order) -> behaviour -> count, only counts above zero. */
    private final Map<String, Map<Behaviour, Long>> counts;

    private Coverage(Map<String, Map<Behaviour, Long>> counts) {
        this.counts = counts;
    }

    /** A snapshot of nothing covered for no appservice. */
    public static Coverage empty() {
        return EMPTY;
    }

    /**
     * A snapshot of these counts (copied); an appservice mapped to an empty map is one with nothing covered.
     *
     * @throws IllegalArgumentException for a negative count
     */
    public static Coverage of(Map<String, ? extends Map<Behaviour, Long>> counts) {
        Map<String, Map<Behaviour, Long>> copy = new LinkedHashMap<>();
        counts.forEach((as, byBehaviour) -> {
            EnumMap<Behaviour, Long> m = new EnumMap<>(Behaviour.class);
            byBehaviour.forEach((b, n) -> {
                if (n < 0) {
                    throw new IllegalArgumentException("Negative count " + n + " for " + b.id() + " of " + as);
                }
                if (n > 0) {
                    m.put(b, n);
                }
            });
            copy.put(as, Collections.unmodifiableMap(m));
        });
        return new Coverage(Collections.unmodifiableMap(copy));
    }

    /** The appservice registration ids, in registration order (a removed one stays if it covered anything). */
    public Set<String> appservices() {
        return counts.keySet();
    }

    /** How often {@code behaviour} happened for this appservice; 0 for an appservice it does not know. */
    public long count(String appserviceId, Behaviour behaviour) {
        Map<Behaviour, Long> m = counts.get(appserviceId);
        return m == null ? 0 : m.getOrDefault(behaviour, 0L);
    }

    /** The behaviours that happened at least once for this appservice, with their counts, in catalogue order. */
    public Map<Behaviour, Long> counts(String appserviceId) {
        return counts.getOrDefault(appserviceId, Map.of());
    }

    /** The behaviours that happened at least once for this appservice, in catalogue order. */
    public List<Behaviour> covered(String appserviceId) {
        return List.copyOf(counts(appserviceId).keySet());
    }

    /** The behaviours of the catalogue that never happened for this appservice, in catalogue order. */
    public List<Behaviour> missing(String appserviceId) {
        List<Behaviour> out = new ArrayList<>();
        Map<Behaviour, Long> m = counts(appserviceId);
        for (Behaviour b : Behaviour.values()) {
            if (!m.containsKey(b)) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * What happened after {@code earlier} (an older snapshot of the same server): the counts minus its counts,
     * with every appservice of this snapshot kept.
     */
    public Coverage since(Coverage earlier) {
        Map<String, Map<Behaviour, Long>> out = new LinkedHashMap<>();
        counts.forEach((as, m) -> {
            EnumMap<Behaviour, Long> d = new EnumMap<>(Behaviour.class);
            m.forEach((b, n) -> {
                long diff = n - earlier.count(as, b);
                if (diff > 0) {
                    d.put(b, diff);
                }
            });
            out.put(as, d);
        });
        return of(out);
    }

    /** This and {@code other} added up: the appservices of both (this one's first), their counts summed. */
    public Coverage plus(Coverage other) {
        Map<String, Map<Behaviour, Long>> out = new LinkedHashMap<>();
        for (Coverage c : List.of(this, other)) {
            c.counts.forEach((as, m) -> {
                Map<Behaviour, Long> sum = out.computeIfAbsent(as, k -> new EnumMap<>(Behaviour.class));
                m.forEach((b, n) -> sum.merge(b, n, Long::sum));
            });
        }
        return of(out);
    }

    /** Whether nothing at all was covered, for any appservice. */
    public boolean isEmpty() {
        return counts.values().stream().allMatch(Map::isEmpty);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coverage c && c.counts.equals(counts);
    }

    @Override
    public int hashCode() {
        return counts.hashCode();
    }

    /** Each appservice with its covered behaviours and counts: {@code weather{transaction-retried=2, ping=1}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Coverage[");
        boolean first = true;
        for (Map.Entry<String, Map<Behaviour, Long>> e : counts.entrySet()) {
            sb.append(first ? "" : ", ").append(e.getKey()).append('{');
            first = false;
            boolean firstB = true;
            for (Map.Entry<Behaviour, Long> b : e.getValue().entrySet()) {
                sb.append(firstB ? "" : ", ").append(b.getKey().id()).append('=').append(b.getValue());
                firstB = false;
            }
            sb.append('}');
        }
        return sb.append(']').toString();
    }
}
