package dev.fakehomeserver.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the real jar's exit can show: {@code --coverage FILE} writes the report when the process stops. */
class StandaloneCoverageIT {
    @TempDir
    Path dir;

    private static String recordAPing(StandaloneProcess fake) throws Exception {
        TestClient c = new TestClient(fake.awaitUrl());
        String id = c.get("/_fakehs/v1/appservices").token("t").send().json().at("/appservices/0/id").asText();
        assertThat(c.post("/_fakehs/v1/coverage/record").token("t")
                .json(Map.of("appservice_id", id, "behaviour", "ping")).send().status()).isEqualTo(200);
        return id;
    }

    @Test
    void the_report_is_written_in_markdown_on_exit() throws Exception {
        Path report = dir.resolve("coverage.md");
        String id;
        try (StandaloneProcess fake = StandaloneProcess.start("--port", "0", "--control-token", "t",
                "--coverage", report.toString())) {
            id = recordAPing(fake);
            fake.stop();   // exit status 143 (SIGTERM); the shutdown hook has run by then
            assertThat(fake.output()).contains("wrote the coverage report to " + report);
        }
        assertThat(Files.readString(report)).startsWith("# Scenario coverage").contains("## " + id + ": 1 of ")
                .contains("| `ping` A ping asked of the appservice | 1 |");
    }

    @Test
    void a_json_name_gets_the_control_apis_json() throws Exception {
        Path report = dir.resolve("coverage.json");
        String id;
        try (StandaloneProcess fake = StandaloneProcess.start("--port", "0", "--control-token", "t",
                "--coverage", report.toString())) {
            id = recordAPing(fake);
            fake.stop();
        }
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile())
                .at("/appservices/" + id + "/counts/ping").asLong()).isEqualTo(1);
    }
}
