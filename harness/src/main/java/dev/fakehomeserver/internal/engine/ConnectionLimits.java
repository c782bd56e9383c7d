package dev.fakehomeserver.internal.engine;

import java.time.Duration;

/**
 * How long a connection may keep the server waiting (issue 17, item 5): a client that opens connections and
 * never finishes a request head, or sends a Content-Length it never fills, is closed instead of holding a file
 * descriptor for good.
 *
 * @param head how long the request line and headers may take once their first byte arrived (Undertow's
 *     {@code REQUEST_PARSE_TIMEOUT})
 * @param idle how long a connection may sit without a request (Undertow's {@code NO_REQUEST_TIMEOUT}), and how
 *     long a request body may go without a byte while it is read (XNIO's {@code READ_TIMEOUT}, which only runs
 *     while the server is reading: a held {@code /sync} long poll is not cut)
 */
public record ConnectionLimits(Duration head, Duration idle) {
    /** 10 s for a request head, 15 s of silence: far above any real client on loopback, far below "for good". */
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(Duration.ofSeconds(10), Duration.ofSeconds(15));

    public ConnectionLimits {
        if (head.isNegative() || head.isZero() || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("connection timeouts must be positive, got " + head + " and " + idle);
        }
    }

    int headMillis() {
        return (int) Math.min(Integer.MAX_VALUE, head.toMillis());
    }

    int idleMillis() {
        return (int) Math.min(Integer.MAX_VALUE, idle.toMillis());
    }
}
