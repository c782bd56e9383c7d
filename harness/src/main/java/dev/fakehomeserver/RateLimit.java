package dev.fakehomeserver;

/**
 * A message rate limit like Synapse's {@code rc_message}: a leaky bucket that holds {@code burst} actions and
 * drains at {@code perSecond} actions a second. It applies to sending, state and redactions of ordinary users and
 * of users an appservice masquerades as when its registration says {@code rate_limited: true}; the appservice's
 * sender user and appservices with {@code rate_limited: false} are never limited (spec-digest §4.7).
 *
 * <pre>{@code
 * try (Homeserver hs = Homeserver.builder()
 *         .registration(reg)
 *         .rateLimiting(RateLimit.of(0.2, 10))   // Synapse's default rc_message
 *         .start()) {
 *     // the 11th quick message of a masqueraded ghost gets 429 M_LIMIT_EXCEEDED
 * }
 * }</pre>
 *
 * @param perSecond how many actions a second drain from the bucket; positive
 * @param burst how many actions fit in the bucket: a burst of this many passes at once; at least 1
 */
public record RateLimit(double perSecond, int burst) {
    /** Validates the values. */
    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be a positive number, got " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
    }

    /** A limit of {@code perSecond} actions a second with bursts of {@code burst}. */
    public static RateLimit of(double perSecond, int burst) {
        return new RateLimit(perSecond, burst);
    }

    /** Synapse's default message limit: 0.2 a second, bursts of 10. */
    public static RateLimit synapseDefault() {
        return new RateLimit(0.2, 10);
    }
}
