package dev.fakehomeserver.assertj;

import dev.fakehomeserver.expect.WhatTheFakeSaw;
import dev.fakehomeserver.journal.Journal;
import dev.fakehomeserver.journal.Violation;
import java.util.List;

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
 * assertThat(hs).journal().during(Duration.ofSeconds(1)).hasNoRequest("PUT", "/rooms/{roomId}/send/*");
 * }</pre>
 */
public final class JournalAssert extends AbstractProbeAssert<JournalAssert, Journal> {

    JournalAssert(Probe probe) {
        super(probe, probe.hs.journal(), JournalAssert.class);
    }

    @Override
    JournalAssert with(Probe p) {
        return new JournalAssert(p);
    }

    /** A request with this method ({@code *} for any) and path pattern was received. */
    public JournalAssert hasRequest(String method, String pathPattern) {
        return check(expect.journalHasRequest(method, pathPattern));
    }

    /** No request with this method ({@code *} for any) and path pattern was received. */
    public JournalAssert hasNoRequest(String method, String pathPattern) {
        return check(() -> {
            var found = probe.hs.journal().requests(WhatTheFakeSaw.request(method, pathPattern));
            return found.isEmpty() ? null : "Expecting the journal to have no request " + method + " " + pathPattern
                    + "\nbut it has " + found.size() + ".\n" + WhatTheFakeSaw.list("Found", found);
        });
    }

    /** A request with this method and path pattern was made as this user. */
    public JournalAssert hasRequestFrom(String userId, String method, String pathPattern) {
        return check(() -> probe.hs.journal().requests(WhatTheFakeSaw.request(method, pathPattern)
                .and(r -> userId.equals(r.userId()))).isEmpty()
                ? "Expecting the journal to have a request " + method + " " + pathPattern + " as " + userId
                + "\nbut it has none.\nWhat the fake saw:\n" + seen.journalOfUser(userId) : null);
    }

    /** No request was refused, injected faults aside. */
    public JournalAssert hasNoViolations() {
        return check(() -> {
            List<Violation> v = probe.hs.violations();
            return v.isEmpty() ? null : "Expecting the fake to have refused no request\nbut it refused " + v.size()
                    + ".\n" + WhatTheFakeSaw.list("Violations", v);
        });
    }

    /** Some request was refused with this errcode. */
    public JournalAssert hasViolation(String errcode) {
        return check(() -> probe.hs.violations().stream().anyMatch(v -> errcode.equals(v.errcode())) ? null
                : "Expecting the fake to have refused a request with " + errcode + "\nbut it did not.\n"
                + "What the fake saw:\n" + seen.journalAll());
    }
}
