package dev.fakehomeserver.conformance;

import dev.fakehomeserver.internal.conformance.TableFormat;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What a conformance run found: one result per check, in catalogue order, and what the kit created in the
 * homeserver to run them (its own user and rooms, and what the appservice created when asked).
 *
 * <pre>{@code
 * ConformanceReport report = AppserviceConformance.of(hs, "weather").probe("!weather paris").run();
 * System.out.println(report.table());
 * assertThat(report.failures(Level.MUST)).isEmpty();
 * }</pre>
 *
 * @param appserviceId the appservice checked
 * @param results one result per check, in catalogue order
 * @param created what the run created: the kit's user and rooms, and the users and aliases the appservice created
 *                when queried (all in rooms and names of the kit's own, so the next test is not disturbed)
 */
public record ConformanceReport(String appserviceId, List<CheckResult> results, List<String> created) {

    /** Copies the lists, so the record stays immutable. */
    public ConformanceReport {
        results = List.copyOf(results);
        created = List.copyOf(created);
    }

    /** Whether no check fails {@code level}: for MUST, no FAIL; for SHOULD, no FAIL and no WARN either. */
    public boolean conformsTo(Level level) {
        return failures(level).isEmpty();
    }

    /** The results that fail {@code level} (see {@link CheckResult#fails(Level)}). */
    public List<CheckResult> failures(Level level) {
        return results.stream().filter(r -> r.fails(level)).toList();
    }

    /** The result of the check with this id. */
    public CheckResult result(String checkId) {
        return results.stream().filter(r -> r.check().id().equals(checkId)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No check " + checkId + "; ran: "
                        + results.stream().map(r -> r.check().id()).toList()));
    }

    /**
     * A plain-text table, one row per check: outcome, level, id, spec section, what was sent and what came back,
     * then the detail; then the counts and what the run created.
     */
    public String table() {
        return TableFormat.render(appserviceId, results, created);
    }

    @Override
    public String toString() {
        return table();
    }
}
