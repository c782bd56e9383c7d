package dev.fakehomeserver.internal.engine;

import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.registration.RegistrationRetries;
import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.Violation;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which refusals a test provoked on purpose: {@code expectViolations()} silences all of them, each allowance
 * some; the rest are unexpected. Cleared by a reset.
 */
public final class ViolationPolicy {
    private final Journal journal;
    /** The registration of an appservice id, to spare its registration retries; null to count them. */
    private final Function<String, Registration> sparingRetriesOf;
    private final String serverName;
    private volatile boolean expected;
    private final List<Predicate<Violation>> allowed = new CopyOnWriteArrayList<>();

    ViolationPolicy(Journal journal, Function<String, Registration> sparingRetriesOf, String serverName) {
        this.journal = journal;
        this.sparingRetriesOf = sparingRetriesOf;
        this.serverName = serverName;
    }

    /**
     * The requests the fake refused (400 or more), oldest first, except injected faults and, unless counted, an
     * appservice's {@code M_USER_IN_USE} for a user of its own namespace (see {@link RegistrationRetries}).
     */
    public List<Violation> all() {
        return journal.requests(r -> Violation.isViolation(r) && (sparingRetriesOf == null
                || !RegistrationRetries.isOwnUserInUse(r, sparingRetriesOf, serverName)))
                .stream().map(Violation::new).toList();
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
