package dev.fakehomeserver.internal.faults;

import dev.fakehomeserver.faults.Fault;
import dev.fakehomeserver.faults.FaultRule;
import dev.fakehomeserver.journal.PathPattern;
import java.util.concurrent.atomic.AtomicInteger;

/** One installed rule: what it matches, how often it fires, and its hits (counted only by {@link FaultBook}). */
final class Rule implements FaultRule {
    private final String method;
    private final String pathPattern;
    private final PathPattern path;
    private final String userId;
    private final int times;
    private final Fault fault;
    private final AtomicInteger hits = new AtomicInteger();

    Rule(String method, String pathPattern, String userId, int times, Fault fault) {
        this.method = method;
        this.pathPattern = pathPattern;
        this.path = PathPattern.of(pathPattern);
        this.userId = userId;
        this.times = times;
        this.fault = fault;
    }

    /** Whether it matches this request and has firings left; if so, counts one. Called under the book's lock. */
    boolean fire(String reqMethod, String reqPath, String reqUser) {
        if (times >= 0 && hits.get() >= times) {
            return false;
        }
        if (!method.equals("*") && !method.equalsIgnoreCase(reqMethod)) {
            return false;
        }
        if (userId != null && !userId.equals(reqUser)) {
            return false;
        }
        if (!path.matches(reqPath)) {
            return false;
        }
        hits.incrementAndGet();
        return true;
    }

    @Override
    public int hits() {
        return hits.get();
    }

    @Override
    public int remaining() {
        return times < 0 ? -1 : Math.max(0, times - hits.get());
    }

    @Override
    public Fault fault() {
        return fault;
    }

    @Override
    public String toString() {
        return "FaultRule[" + method + " " + pathPattern + (userId == null ? "" : " for " + userId)
                + (times < 0 ? "" : " x" + times) + " -> " + fault + ", hits=" + hits() + "]";
    }
}
