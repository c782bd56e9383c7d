package dev.fakehomeserver.internal.journal;

import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.journal.TransactionJournal;
import java.util.List;
import java.util.function.Predicate;

/** What the server sent to appservices: the pusher records into it, tests read it as a {@link TransactionJournal}. */
public final class TransactionLog extends BoundedLog<RecordedTransaction> implements TransactionJournal {
    public TransactionLog(Runnable onChange) {
        super(CAPACITY, onChange);
    }

    @Override
    public List<RecordedTransaction> records() {
        return all();
    }

    @Override
    public List<RecordedTransaction> records(Predicate<RecordedTransaction> which) {
        return matching(which);
    }
}
