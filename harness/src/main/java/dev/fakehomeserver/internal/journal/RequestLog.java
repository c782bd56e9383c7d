package dev.fakehomeserver.internal.journal;

import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.RecordedRequest;
import java.util.List;
import java.util.function.Predicate;

/** The client API's journal: the server records into it, tests read it as a {@link Journal}. */
public final class RequestLog extends BoundedLog<RecordedRequest> implements Journal {
    public RequestLog(Runnable onChange) {
        super(CAPACITY, onChange);
    }

    @Override
    public List<RecordedRequest> requests() {
        return all();
    }

    @Override
    public List<RecordedRequest> requests(Predicate<RecordedRequest> which) {
        return matching(which);
    }
}
