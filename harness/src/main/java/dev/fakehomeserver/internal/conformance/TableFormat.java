package dev.fakehomeserver.internal.conformance;

import dev.fakehomeserver.conformance.CheckResult;
import dev.fakehomeserver.conformance.Exchange;
import dev.fakehomeserver.conformance.Outcome;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The plain-text table of a report: one block per check, then the counts and what the run created. */
public final class TableFormat {
    private TableFormat() {}

    public static String render(String appserviceId, List<CheckResult> results, List<String> created) {
        int idWidth = results.stream().mapToInt(r -> r.check().id().length()).max().orElse(10);
        StringBuilder sb = new StringBuilder("Conformance of appservice " + appserviceId + "\n");
        sb.append(String.format("%-6s %-6s %-" + idWidth + "s %s%n", "RESULT", "LEVEL", "CHECK", "SPEC SECTION"));
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (CheckResult r : results) {
            counts.merge(r.outcome(), 1, Integer::sum);
            sb.append(String.format("%-6s %-6s %-" + idWidth + "s %s%n", r.outcome(), r.check().level(),
                    r.check().id(), r.check().section()));
            for (Exchange x : r.exchanges()) {
                sb.append("         sent: ").append(x.method()).append(' ').append(x.target()).append(" [")
                        .append(x.auth()).append(']');
                if (!x.requestBody().isEmpty()) {
                    sb.append(' ').append(cut(x.requestBody(), 100));
                }
                sb.append("\n         got:  ").append(x.status() == 0 ? "no answer (" + x.error() + ")"
                        : x.status() + " " + cut(x.responseBody(), 120)).append(" in ")
                        .append(x.latency().toMillis()).append(" ms\n");
            }
            sb.append("         ").append(r.detail()).append('\n');
        }
        sb.append(results.size()).append(" checks:");
        for (Outcome o : Outcome.values()) {
            sb.append(' ').append(counts.getOrDefault(o, 0)).append(' ').append(o);
        }
        sb.append('\n');
        if (!created.isEmpty()) {
            sb.append("created in the homeserver (rooms and names of the kit's own):\n");
            created.forEach(c -> sb.append("  ").append(c).append('\n'));
        }
        return sb.toString();
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n) + "...";
    }
}
