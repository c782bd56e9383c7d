package dev.fakehomeserver.journal;

import java.util.List;
import java.util.function.Predicate;

/**
 * Everything the homeserver sent to appservices, in the order it got the answers: transaction pushes (one record
 * per attempt), user and alias queries, pings and third-party lookups. A read-only view; only the server records
 * into it, and {@code reset()} clears it.
 *
 * <p>Bounded like {@link Journal}: the last {@value #CAPACITY} records are kept.
 *
 * <pre>{@code
 * List<RecordedTransaction> failed = hs.transactions().records(t -> !t.succeeded());
 * }</pre>
 */
public interface TransactionJournal {
    /** How many records are kept; older ones are dropped first. */
    int CAPACITY = 100_000;

    /** Every record, oldest first (a copy). */
    List<RecordedTransaction> records();

    /** The records that match, oldest first. */
    List<RecordedTransaction> records(Predicate<RecordedTransaction> which);

    /** The records of one kind sent to one appservice, oldest first. */
    default List<RecordedTransaction> of(String appserviceId, RecordedTransaction.Kind kind) {
        return records(r -> r.appserviceId().equals(appserviceId) && r.kind() == kind);
    }

    /** How many records were dropped because the journal was full. */
    long dropped();
}
