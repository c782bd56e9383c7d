package dev.fakehomeserver.internal.http;

/**
 * The largest body a route reads, and the words of the 413 {@code M_TOO_LARGE} a larger body gets; a route
 * without one has its API's default ({@link ReadBody}).
 *
 * <pre>{@code
 * r.client("PUT", "/rooms/{roomId}/send/{eventType}/{txnId}", AuthMode.REQUIRED, BodyLimit.event(65536), this::send);
 * }</pre>
 *
 * @param bytes at most this many bytes are read
 * @param refusal how the 413 begins
 */
public record BodyLimit(long bytes, String refusal) {
    public BodyLimit {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a body limit must be positive, got " + bytes);
        }
    }

    /** An event's content: Synapse's words for an event above its size, "event too large". */
    public static BodyLimit event(long bytes) {
        return new BodyLimit(bytes, "event too large");
    }
}
