package dev.fakehomeserver.internal.engine;

import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.Violation;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Which refusals a test provoked on purpose: {@code expectViolations()} silences all of them, each allowance
 * some; the rest are unexpected. Cleared by a reset.
 */
public final class ViolationPolicy {
    private final Journal journal;
    private volatile boolean expected;
    private final List<Predicate<Violation>> allowed = new CopyOnWriteArrayList<>();

    ViolationPolicy(Journal journal) {
        this.journal = journal;
    }

    /** The requests the fake refused (400 or more), oldest first, except injected faults. */
    public List<Violation> all() {
        return journal.requests(Violation::isViolation).stream().map(Violation::new).toList();
    }

    public List<Violation> unexpected() {
        if (expected) {
            return List.of();
        }
        return all().stream().filter(v -> allowed.stream().noneMatch(p -> p.test(v))).toList();
    }

    public void expectAll() {
        expected = true;
    }

    public void allow(Predicate<Violation> which) {
        allowed.add(Objects.requireNonNull(which));
    }

    void clear() {
        expected = false;
        allowed.clear();
    }
}
