package dev.fakehomeserver.conformance;

import java.util.List;

/**
 * The result of one check on one appservice: the check, its outcome, why, and every exchange it made.
 *
 * <pre>{@code
 * CheckResult r = report.result("txn.duplicate_processed_once");
 * assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS);
 * }</pre>
 *
 * @param check the catalogue entry
 * @param outcome PASS, FAIL, WARN or SKIP
 * @param detail what the kit saw, in a sentence, and for a failure what to do about it
 * @param exchanges the requests sent and their answers, oldest first
 */
public record CheckResult(ConformanceCheck check, Outcome outcome, String detail, List<Exchange> exchanges) {

    /** Copies the exchanges, so the record stays immutable. */
    public CheckResult {
        exchanges = List.copyOf(exchanges);
    }

    /** Whether this result fails the given level: a FAIL, or for {@link Level#SHOULD} a WARN on any check too. */
    public boolean fails(Level level) {
        if (outcome == Outcome.FAIL) {
            return true;
        }
        return level == Level.SHOULD && outcome == Outcome.WARN;
    }

    /** The check id, outcome and detail, then the exchanges, one per line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(outcome + " " + check.id() + " (" + check.level() + ", "
                + check.section() + "): " + detail);
        for (Exchange x : exchanges) {
            sb.append("\n    ").append(x);
        }
        return sb.toString();
    }
}
