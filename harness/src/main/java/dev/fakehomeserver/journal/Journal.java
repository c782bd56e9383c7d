package dev.fakehomeserver.journal;

import java.util.List;
import java.util.function.Predicate;

/**
 * Everything the fake saw, in order: the client-server requests it answered. A read-only view, readable while the
 * server runs; only the server records into it, and {@code reset()} clears it. To wait for a request, use the
 * assertions' {@code eventually()} (they block on the server's change signal).
 *
 * <p>Bounded: it keeps the last {@value #CAPACITY} requests and counts the ones it dropped, so a long standalone
 * session cannot exhaust memory.
 *
 * <pre>{@code
 * List<RecordedRequest> refused = hs.journal().requests(RecordedRequest::refused);
 * }</pre>
 */
public interface Journal {
    /** How many requests are kept; older ones are dropped first. */
    int CAPACITY = 100_000;

    /** All recorded requests, oldest first (a copy). */
    List<RecordedRequest> requests();

    /** The recorded requests that match, oldest first. */
    List<RecordedRequest> requests(Predicate<RecordedRequest> which);

    /** How many requests were dropped because the journal was full. */
    long dropped();
}
