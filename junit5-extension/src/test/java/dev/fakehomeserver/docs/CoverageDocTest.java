package dev.fakehomeserver.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.coverage.Behaviour;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/coverage.md}'s catalogue is the {@link Behaviour} enum's, generated: each behaviour with what it is
 * and how to make it happen. After a change to the catalogue, regenerate it with
 * {@code -Dfakehomeserver.updateApiDoc=true} (as docs/tester-api.md) and review the diff. The same run copies the
 * samples' last report ({@code samples/target/fake-homeserver/coverage.md}, when there is one) into the page's
 * example: run the samples first. That part is not checked here (the samples run after this module).
 */
class CoverageDocTest {
    private static final Path DOC = Path.of("../docs/coverage.md");
    private static final String START = "<!-- catalogue: generated from Behaviour by CoverageDocTest (-Dfakehomeserver.updateApiDoc=true) -->\n";
    private static final String END = "<!-- end of catalogue -->";
    private static final Path SAMPLES_REPORT = Path.of("../samples/target/fake-homeserver/coverage.md");
    private static final String SAMPLES_START = "<!-- samples report -->\n";
    private static final String SAMPLES_END = "<!-- end of samples report -->";

    @Test
    void the_catalogue_on_the_page_is_the_code_s() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        assertThat(start).as("docs/coverage.md has the catalogue markers").isNotNegative();
        assertThat(end).isGreaterThan(start);
        String generated = catalogue();
        if (Boolean.getBoolean("fakehomeserver.updateApiDoc")) {
            doc = doc.substring(0, start + START.length()) + generated + doc.substring(end);
            if (Files.exists(SAMPLES_REPORT)) {
                doc = withSamplesReport(doc, Files.readString(SAMPLES_REPORT, StandardCharsets.UTF_8));
            }
            Files.writeString(DOC, doc, StandardCharsets.UTF_8);
        }
        assertThat(doc.substring(start + START.length(), doc.indexOf(END)))
                .as("docs/coverage.md's catalogue is out of date: regenerate with -Dfakehomeserver.updateApiDoc=true")
                .isEqualTo(generated);
    }

    /** The report without its title, its headings one level down, between the page's markers. */
    private static String withSamplesReport(String doc, String report) {
        String body = report.substring(report.indexOf('\n') + 1).strip().replaceAll("(?m)^## ", "### ");
        int from = doc.indexOf(SAMPLES_START) + SAMPLES_START.length();
        return doc.substring(0, from) + body + "\n" + doc.substring(doc.indexOf(SAMPLES_END));
    }

    private static String catalogue() {
        StringBuilder sb = new StringBuilder("| id | what | how to make it happen |\n| --- | --- | --- |\n");
        for (Behaviour b : Behaviour.values()) {
            sb.append("| `").append(b.id()).append("` | ").append(b.title()).append(" | ").append(b.howTo())
                    .append(" |\n");
        }
        return sb.toString();
    }
}
