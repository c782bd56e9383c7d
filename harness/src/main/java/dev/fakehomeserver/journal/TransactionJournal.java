package dev.fakehomeserver.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Everything the homeserver sent to appservices, in the order it got the answers: transaction pushes (one record
 * per attempt), user and alias queries, pings and third-party lookups. Cleared by {@code reset()}.
 *
 * <p>Bounded like {@link Journal}: the last {@value #CAPACITY} records are kept.
 *
 * <pre>{@code
 * List<RecordedTransaction> failed = hs.transactions().records(t -> !t.succeeded());
 * }</pre>
 */
public final class TransactionJournal {
    /** How many records are kept; older ones are dropped first. */
    public static final int CAPACITY = 100_000;

    private final ArrayList<RecordedTransaction> records = new ArrayList<>();
    private final Runnable onChange;
    private long next = 1;
    private long dropped;

    /** Creates a journal that runs {@code onChange} after every record (the server's change signal). */
    public TransactionJournal(Runnable onChange) {
        this.onChange = onChange;
    }

    /** The next sequence number; used by the server when it records. */
    public synchronized long nextSeq() {
        return next++;
    }

    /** Adds a record; called by the server once the appservice answered (or did not). */
    public void record(RecordedTransaction r) {
        synchronized (this) {
            if (records.size() >= CAPACITY) {
                records.remove(0);
                dropped++;
            }
            records.add(r);
        }
        onChange.run();
    }

    /** Every record, oldest first (a copy). */
    public synchronized List<RecordedTransaction> records() {
        return List.copyOf(records);
    }

    /** The records that match, oldest first. */
    public synchronized List<RecordedTransaction> records(Predicate<RecordedTransaction> which) {
        return records.stream().filter(which).toList();
    }

    /** The records of one kind sent to one appservice, oldest first. */
    public List<RecordedTransaction> of(String appserviceId, RecordedTransaction.Kind kind) {
        return records(r -> r.appserviceId().equals(appserviceId) && r.kind() == kind);
    }

    /** How many records were dropped because the journal was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Forgets every record. */
    public synchronized void clear() {
        records.clear();
        dropped = 0;
    }
}
