package dev.fakehomeserver.assertj;

import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.Violation;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the client-server journal: what was asked of the fake and what it answered. Path patterns are
 * matched without the {@code /_matrix/client/v3} prefix, after percent-decoding; {@code *} and {@code {name}} match
 * one segment, {@code **} several, and a final {@code *} the rest of the path.
 *
 * <pre>{@code
 * assertThat(hs).eventually().journal()
 *         .hasRequest("POST", "/register")
 *         .hasRequest("PUT", "/rooms/{roomId}/send/*")
 *         .hasNoViolations();
 * }</pre>
 */
public final class JournalAssert extends AbstractAssert<JournalAssert, Journal> {
    private final Probe probe;

    JournalAssert(Probe probe) {
        super(probe.hs.journal(), JournalAssert.class);
        this.probe = probe;
    }

    /** Waits up to the server's default for each following assertion. */
    public JournalAssert eventually() {
        return eventually(probe.hs.defaultWait());
    }

    /** Waits up to {@code timeout} for each following assertion. */
    public JournalAssert eventually(Duration timeout) {
        return new JournalAssert(probe.waiting(timeout));
    }

    /** A request with this method ({@code *} for any) and path pattern was received. */
    public JournalAssert hasRequest(String method, String pathPattern) {
        return check(() -> actual.requests(Probe.request(method, pathPattern)).isEmpty()
                ? "Expecting the journal to have a request " + method + " " + pathPattern + "\nbut it has none.\n"
                + "What the fake saw:\n" + probe.journalAll() : null);
    }

    /** A request with this method and path pattern was made as this user. */
    public JournalAssert hasRequestFrom(String userId, String method, String pathPattern) {
        return check(() -> actual.requests(Probe.request(method, pathPattern).and(r -> userId.equals(r.userId())))
                .isEmpty()
                ? "Expecting the journal to have a request " + method + " " + pathPattern + " as " + userId
                + "\nbut it has none.\nWhat the fake saw:\n"
                + probe.journalOf(Probe.setOf(userId), Probe.setOf(probe.owner(userId))) : null);
    }

    /** No request was refused, injected faults aside. */
    public JournalAssert hasNoViolations() {
        return check(() -> {
            List<Violation> v = probe.hs.violations();
            return v.isEmpty() ? null : "Expecting the fake to have refused no request\nbut it refused " + v.size()
                    + ".\n" + Probe.list("Violations", v);
        });
    }

    /** Some request was refused with this errcode. */
    public JournalAssert hasViolation(String errcode) {
        return check(() -> probe.hs.violations().stream().anyMatch(v -> errcode.equals(v.errcode())) ? null
                : "Expecting the fake to have refused a request with " + errcode + "\nbut it did not.\n"
                + "What the fake saw:\n" + probe.journalAll());
    }

    private JournalAssert check(Supplier<String> c) {
        String failure = probe.run(c);
        if (failure != null) {
            failWithMessage("%s", failure);
        }
        return this;
    }

}
