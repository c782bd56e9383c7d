package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.RateLimit;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.HashMap;
import java.util.Map;

/**
 * The message limiter (Synapse's {@code RequestRatelimiter} over {@code rc_message}): one leaky bucket per user,
 * drained by the model's clock, so tests are deterministic and never sleep. Off (null config) by default.
 */
public final class RateLimiter {
    private volatile RateLimit config;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double count;
        long lastMillis;
    }

    public void configure(RateLimit limit) {
        this.config = limit;
    }

    /**
     * Counts one message action of this requester, or throws 429 {@code M_LIMIT_EXCEEDED}. Who is exempt follows
     * Synapse: the appservice sender always ("do not ratelimit app service senders"), every request of an
     * appservice registered with {@code rate_limited: false}; masqueraded users otherwise count like ordinary
     * users, per user id.
     */
    public void check(Requester r, long nowMillis) {
        RateLimit cfg = config;
        if (cfg == null) {
            return;
        }
        if (r.isAppservice() && (r.isAppserviceSender() || !r.appservice().registration().rateLimited())) {
            return;
        }
        long wait = acquire(r.userId(), nowMillis, cfg);
        if (wait > 0) {
            throw MatrixException.limitExceeded(wait);
        }
    }

    /** @return 0 when the action is allowed (and counted), else the milliseconds until it would be */
    synchronized long acquire(String key, long now, RateLimit cfg) {
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket());
        double drained = Math.max(0, now - b.lastMillis) / 1000.0 * cfg.perSecond();
        b.count = Math.max(0, b.count - drained);
        b.lastMillis = now;
        if (b.count + 1 > cfg.burst()) {
            double excess = b.count + 1 - cfg.burst();
            return Math.max(1, (long) Math.ceil(excess / cfg.perSecond() * 1000));
        }
        b.count += 1;
        return 0;
    }

    synchronized void reset() {
        buckets.clear();
    }
}
