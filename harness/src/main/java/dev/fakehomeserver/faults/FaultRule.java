package dev.fakehomeserver.faults;

import dev.fakehomeserver.journal.PathPattern;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One installed fault: which requests it matches (method, path pattern, acting user), how many times it fires, and
 * what it does. Obtained from {@link Faults#on(String, String)}; counts its hits.
 *
 * <pre>{@code
 * FaultRule rule = hs.faults().on("PUT", "/rooms/{roomId}/send/*").forUser("@weather_bob:test").times(2)
 *         .respondLimitExceeded(500);
 * // ... the appservice retries ...
 * assertThat(rule.hits()).isEqualTo(2);
 * }</pre>
 *
 * <p>Paths are matched without the {@code /_matrix/client/v3} prefix and after percent-decoding; {@code *} and a
 * placeholder such as {@code {roomId}} match within one segment, {@code **} across segments, and a {@code *} that
 * ends the pattern matches the rest of the path ({@code /rooms/*&#47;send/*} covers {@code /send/{type}/{txnId}}). {@code "*"} as method matches every method.
 */
public final class FaultRule {
    private final String method;
    private final String pathPattern;
    private final PathPattern path;
    private final String userId;
    private final int times;
    private final Fault fault;
    private final AtomicInteger hits = new AtomicInteger();

    FaultRule(String method, String pathPattern, String userId, int times, Fault fault) {
        this.method = method;
        this.pathPattern = pathPattern;
        this.path = PathPattern.of(pathPattern);
        this.userId = userId;
        this.times = times;
        this.fault = fault;
    }

    /** Whether it matches this request and has firings left; if so, counts one. Called under the rules' lock. */
    boolean fire(String reqMethod, String shortPath, String reqUser) {
        if (times >= 0 && hits.get() >= times) {
            return false;
        }
        if (!method.equals("*") && !method.equalsIgnoreCase(reqMethod)) {
            return false;
        }
        if (userId != null && !userId.equals(reqUser)) {
            return false;
        }
        if (!path.matches(shortPath)) {
            return false;
        }
        hits.incrementAndGet();
        return true;
    }

    /** How many requests it has hit so far. */
    public int hits() {
        return hits.get();
    }

    /** How many more times it fires, or -1 for always. */
    public int remaining() {
        return times < 0 ? -1 : Math.max(0, times - hits.get());
    }

    /** What it does. */
    public Fault fault() {
        return fault;
    }

    @Override
    public String toString() {
        return "FaultRule[" + method + " " + pathPattern + (userId == null ? "" : " for " + userId)
                + (times < 0 ? "" : " x" + times) + " -> " + fault + ", hits=" + hits() + "]";
    }
}
