package dev.fakehomeserver.junit5;

import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.coverage.Coverage;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the extension hands what a test covered to {@link CoverageListener}: a JUnit report entry, whose value is
 * the coverage in one line, {@code weather=transaction-retried:2,ping:1;chat=} (every appservice of the server,
 * with or without behaviours; ids URL-encoded). A report entry is the one channel from an extension to a launcher listener that
 * JUnit has had since 5.0, and it needs no state shared between the two.
 */
final class CoverageEntry {
    /** The report entry's key. */
    static final String KEY = "fakehomeserver.coverage";

    private CoverageEntry() {}

    static String encode(Coverage c) {
        StringBuilder sb = new StringBuilder();
        for (String as : c.appservices()) {
            sb.append(sb.length() == 0 ? "" : ";").append(URLEncoder.encode(as, StandardCharsets.UTF_8)).append('=');
            boolean first = true;
            for (Map.Entry<Behaviour, Long> e : c.counts(as).entrySet()) {
                sb.append(first ? "" : ",").append(e.getKey().id()).append(':').append(e.getValue());
                first = false;
            }
        }
        return sb.toString();
    }

    /**
     * The coverage of {@link #encode}; a behaviour id this version does not know (a report entry of another
     * version) is skipped.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    static Coverage decode(String text) {
        Map<String, Map<Behaviour, Long>> out = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return Coverage.empty();
        }
        for (String part : text.split(";", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Not a coverage entry: " + text);
            }
            Map<Behaviour, Long> m = new EnumMap<>(Behaviour.class);
            String list = part.substring(eq + 1);
            if (!list.isEmpty()) {
                for (String item : list.split(",")) {
                    int colon = item.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("Not a coverage entry: " + text);
                    }
                    try {
                        m.merge(Behaviour.byId(item.substring(0, colon)), Long.parseLong(item.substring(colon + 1)),
                                Long::sum);
                    } catch (IllegalArgumentException unknown) {
                        if (unknown instanceof NumberFormatException) {
                            throw new IllegalArgumentException("Not a coverage entry: " + text, unknown);
                        }
                    }
                }
            }
            out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8), m);
        }
        return Coverage.of(out);
    }
}
