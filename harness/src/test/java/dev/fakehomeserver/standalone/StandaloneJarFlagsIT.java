package dev.fakehomeserver.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.PinnedHttps;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the real jar, where {@code main} turns {@code run}'s result into the exit status. */
class StandaloneJarFlagsIT {
    @TempDir
    Path dir;

    @Test
    void help_exits_0_and_describes_the_flags() throws Exception {
        try (StandaloneProcess p = StandaloneProcess.start("--help")) {
            assertThat(p.awaitExit()).isZero();
            assertThat(p.output()).contains("--registration", "--control-token");
        }
    }

    @Test
    void version_prints_the_maven_version() throws Exception {
        try (StandaloneProcess p = StandaloneProcess.start("--version")) {
            assertThat(p.awaitExit()).isZero();
            assertThat(p.lines()).singleElement().asString().matches("fake-homeserver \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        }
    }

    @Test
    void a_bad_flag_exits_2_with_one_line() throws Exception {
        try (StandaloneProcess p = StandaloneProcess.start("--nope")) {
            assertThat(p.awaitExit()).isEqualTo(2);
            assertThat(p.lines()).singleElement().asString().contains("--nope");
        }
    }

    @Test
    void a_bad_registration_exits_2_with_one_line_naming_file_field_and_line() throws Exception {
        Path reg = dir.resolve("bad.yaml");
        Files.writeString(reg, String.join("\n", "id: weather", "url: null", "as_token: a_token_0123456789",
                "hs_token: h_token_0123456789", "sender_localpart: weatherbot", "namespaces:", "  users:",
                "    - exclusive: yes please", "      regex: '@weather_.*:test'", ""));
        try (StandaloneProcess p = StandaloneProcess.start("--port", "0", "--registration", reg.toString())) {
            assertThat(p.awaitExit()).isEqualTo(2);
            assertThat(p.lines()).singleElement().asString()
                    .contains(reg.toString()).contains("namespaces.users[0].exclusive").contains("line 8");
        }
    }

    @Test
    void tls_serves_https_with_the_fingerprint_the_banner_prints_from_the_shaded_jar() throws Exception {
        try (StandaloneProcess p = StandaloneProcess.start("--port", "0", "--tls", "--tls-port", "0")) {
            p.awaitUrl();
            String[] tls = PinnedHttps.fromBanner(p.output());
            assertThat(tls).as(p.output()).isNotNull();
            HttpResponse<String> r = PinnedHttps.client(tls[1]).send(HttpRequest.newBuilder(
                    URI.create(tls[0] + "/_matrix/client/versions")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"versions\"");
        }
    }
}
