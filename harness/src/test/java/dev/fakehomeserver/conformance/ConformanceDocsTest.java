package dev.fakehomeserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/conformance.md lists every check of the catalogue, with its level and section, in a table row. */
class ConformanceDocsTest {
    @Test
    void the_docs_catalogue_has_a_row_per_check_with_its_level_and_section() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "conformance.md"));
        for (ConformanceCheck c : AppserviceConformance.catalogue()) {
            assertThat(docs).as("the row of " + c.id())
                    .contains("| `" + c.id() + "` | " + c.level() + " | " + c.section() + " |");
        }
    }
}
