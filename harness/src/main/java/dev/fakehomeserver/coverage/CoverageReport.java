package dev.fakehomeserver.coverage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coverage report as Markdown or HTML: for each appservice, every behaviour of the catalogue, covered or
 * not, how often, by which tests, and how to make it happen. The JUnit extension writes it for a suite
 * ({@code target/fake-homeserver/coverage.md} and {@code .html}), the standalone jar for a server
 * ({@code --coverage FILE}).
 *
 * <pre>{@code
 * Map<String, Coverage> byTest = new LinkedHashMap<>();
 * byTest.put("RetryTest.retries", hs.coverage().since(before));
 * Files.writeString(Path.of("coverage.md"), CoverageReport.markdown(byTest));
 * }</pre>
 */
public final class CoverageReport {
    /** The tests named for one behaviour; the rest are counted. */
    static final int MAX_TESTS_NAMED = 4;

    private CoverageReport() {}

    /** The report of one server, without tests: {@code hs.coverage()} in Markdown. */
    public static String markdown(Coverage coverage) {
        return markdown(Map.of("", coverage));
    }

    /**
     * The report of a suite: each test's name (empty for none) with what it covered. The appservices are those
     * of any test, in the order first seen; counts add up.
     */
    public static String markdown(Map<String, Coverage> byTest) {
        Tally t = new Tally(byTest);
        StringBuilder sb = new StringBuilder("# Scenario coverage\n\n")
                .append("Which of the ").append(Behaviour.values().length)
                .append(" homeserver behaviours of fake-homeserver's catalogue (`dev.fakehomeserver.coverage.Behaviour`) ")
                .append("the run made happen, per appservice").append(t.named ? ", and by which tests" : "")
                .append(".\n");
        for (String as : t.appservices) {
            List<Behaviour> missing = new ArrayList<>();
            sb.append("\n## ").append(as).append(": ").append(t.covered(as)).append(" of ")
                    .append(Behaviour.values().length).append(" covered\n\n");
            sb.append(t.named ? "| behaviour | times | by |\n| --- | --- | --- |\n" : "| behaviour | times |\n| --- | --- |\n");
            for (Behaviour b : Behaviour.values()) {
                long n = t.count(as, b);
                if (n == 0) {
                    missing.add(b);
                    continue;
                }
                sb.append("| `").append(b.id()).append("` ").append(b.title()).append(" | ").append(n);
                if (t.named) {
                    sb.append(" | ").append(t.testsLine(as, b));
                }
                sb.append(" |\n");
            }
            if (!missing.isEmpty()) {
                sb.append("\nNot covered, and how to make each happen:\n\n");
                for (Behaviour b : missing) {
                    sb.append("- `").append(b.id()).append("` ").append(b.title()).append(": ").append(b.howTo())
                            .append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** {@link #markdown(Map)} as one self-contained HTML page (no script, no external file). */
    public static String html(Map<String, Coverage> byTest) {
        Tally t = new Tally(byTest);
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Scenario coverage</title><style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
                + "vertical-align:top}.no{color:#a00}.yes{color:#070}code{background:#f4f4f4}</style></head><body>\n"
                + "<h1>Scenario coverage</h1>\n<p>Which of the " + Behaviour.values().length
                + " homeserver behaviours of fake-homeserver's catalogue the run made happen, per appservice.</p>\n");
        for (String as : t.appservices) {
            sb.append("<h2>").append(esc(as)).append(": ").append(t.covered(as)).append(" of ")
                    .append(Behaviour.values().length).append(" covered</h2>\n<table><tr><th>behaviour</th>"
                            + "<th>times</th>").append(t.named ? "<th>by</th>" : "").append("<th>how to make it happen</th></tr>\n");
            for (Behaviour b : Behaviour.values()) {
                long n = t.count(as, b);
                sb.append("<tr class=\"").append(n > 0 ? "yes" : "no").append("\"><td><code>").append(esc(b.id()))
                        .append("</code> ").append(esc(b.title())).append("</td><td>").append(n > 0 ? n : "not covered")
                        .append("</td>");
                if (t.named) {
                    sb.append("<td>").append(esc(n > 0 ? t.testsLine(as, b) : "")).append("</td>");
                }
                sb.append("<td>").append(esc(b.howTo())).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The counts of a suite, added up per appservice and behaviour, with the tests behind each. */
    private static final class Tally {
        final Set<String> appservices = new LinkedHashSet<>();
        /** "appservice behaviour-id" -> test -> count. */
        final Map<String, Map<String, Long>> tests = new LinkedHashMap<>();
        boolean named;

        Tally(Map<String, Coverage> byTest) {
            byTest.forEach((test, c) -> {
                named |= !test.isEmpty();
                for (String as : c.appservices()) {
                    appservices.add(as);
                    c.counts(as).forEach((b, n) -> tests.computeIfAbsent(as + ' ' + b.id(), k -> new LinkedHashMap<>())
                            .merge(test, n, Long::sum));
                }
            });
        }

        long count(String as, Behaviour b) {
            Map<String, Long> m = tests.get(as + ' ' + b.id());
            return m == null ? 0 : m.values().stream().mapToLong(Long::longValue).sum();
        }

        long covered(String as) {
            long n = 0;
            for (Behaviour b : Behaviour.values()) {
                n += count(as, b) > 0 ? 1 : 0;
            }
            return n;
        }

        String testsLine(String as, Behaviour b) {
            List<String> names = new ArrayList<>(tests.get(as + ' ' + b.id()).keySet());
            names.remove("");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(MAX_TESTS_NAMED, names.size()); i++) {
                sb.append(i == 0 ? "" : ", ").append(names.get(i));
            }
            if (names.size() > MAX_TESTS_NAMED) {
                sb.append(" and ").append(names.size() - MAX_TESTS_NAMED).append(" more");
            }
            return sb.toString();
        }
    }
}
