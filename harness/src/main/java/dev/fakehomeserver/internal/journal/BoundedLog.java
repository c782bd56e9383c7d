package dev.fakehomeserver.internal.journal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * The one bounded, ordered log behind both journals: entries numbered from 1, the oldest dropped (and counted)
 * once {@code capacity} are kept, a change signal after each entry. Only the server appends and clears; the
 * public {@code Journal} and {@code TransactionJournal} are read views of it.
 *
 * @param <T> the recorded value
 */
public class BoundedLog<T> {
    private final int capacity;
    private final Runnable onChange;
    private final ArrayDeque<T> entries = new ArrayDeque<>();
    private long next = 1;
    private long dropped;
    /** Hears every entry as it is made (the coverage observer); null for none. */
    private volatile Consumer<? super T> observer;

    /** @param onChange runs after every entry (the server's change signal, which waiting asserts block on) */
    public BoundedLog(int capacity, Runnable onChange) {
        this.capacity = capacity;
        this.onChange = onChange;
    }

    /**
     * Appends the entry {@code make} builds from its sequence number: numbering and appending are one step, so
     * the log is in sequence order whichever thread records.
     */
    public T append(LongFunction<T> make) {
        T entry;
        synchronized (this) {
            entry = make.apply(next++);
            if (entries.size() >= capacity) {
                entries.removeFirst();
                dropped++;
            }
            entries.addLast(entry);
        }
        Consumer<? super T> o = observer;
        if (o != null) {
            o.accept(entry);
        }
        onChange.run();
        return entry;
    }

    /** Hands every entry from now on to {@code o}, on the recording thread, outside the log's monitor. */
    public void observe(Consumer<? super T> o) {
        this.observer = o;
    }

    /** Every entry, oldest first (a copy). */
    public synchronized List<T> all() {
        return List.copyOf(entries);
    }

    /** The entries that match, oldest first. */
    public synchronized List<T> matching(Predicate<? super T> which) {
        return entries.stream().filter(which).toList();
    }

    /** How many entries were dropped because the log was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Forgets every entry (numbering goes on, as it did). */
    public synchronized void clear() {
        entries.clear();
        dropped = 0;
    }
}
