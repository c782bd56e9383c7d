package dev.fakehomeserver.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Everything the fake saw, in order: the client-server requests it answered. Readable while the server runs;
 * cleared by {@code reset()}.
 *
 * <p>Bounded: it keeps the last {@value #CAPACITY} requests and counts the ones it dropped, so a long standalone
 * session cannot exhaust memory.
 *
 * <pre>{@code
 * List<RecordedRequest> refused = hs.journal().requests(RecordedRequest::refused);
 * }</pre>
 */
public final class Journal {
    /** How many requests are kept; older ones are dropped first. */
    public static final int CAPACITY = 100_000;

    private final ArrayList<RecordedRequest> requests = new ArrayList<>();
    private final Runnable onChange;
    private long next = 1;
    private long dropped;

    /** Creates a journal that runs {@code onChange} after every record (the server's change signal). */
    public Journal(Runnable onChange) {
        this.onChange = onChange;
    }

    /** The next sequence number; used by the server when it records a request. */
    public synchronized long nextSeq() {
        return next++;
    }

    /** Adds a request; called by the server once it has answered. */
    public void record(RecordedRequest r) {
        synchronized (this) {
            if (requests.size() >= CAPACITY) {
                requests.remove(0);
                dropped++;
            }
            requests.add(r);
        }
        onChange.run();
    }

    /** All recorded requests, oldest first (a copy). */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The recorded requests that match, oldest first. */
    public synchronized List<RecordedRequest> requests(Predicate<RecordedRequest> which) {
        return requests.stream().filter(which).toList();
    }

    /** How many requests were dropped because the journal was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Forgets every request. */
    public synchronized void clear() {
        requests.clear();
        dropped = 0;
    }
}
