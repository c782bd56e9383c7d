package dev.fakehomeserver.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cds-archive FILE} on the real jar: its training run writes an archive, and a JVM started with it loads
 * the fake's own classes from the archive ({@code -Xshare:on} makes a JVM that cannot map it fail instead).
 */
class StandaloneCdsArchiveIT {
    @TempDir
    Path dir;

    @Test
    void writes_an_archive_that_a_jvm_maps_and_loads_the_fakes_classes_from() throws Exception {
        Path archive = dir.resolve("fake-homeserver.jsa");
        try (StandaloneProcess p = StandaloneProcess.start("cds-archive", archive.toString())) {
            assertThat(p.awaitExit()).as(p.output()).isZero();
            assertThat(p.output()).contains("wrote the class-data sharing archive " + archive)
                    .contains("-XX:SharedArchiveFile=" + archive);
        }
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);
        assertThat(dir.resolve("fake-homeserver.jsa.partial")).doesNotExist();

        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-jar",
                StandaloneProcess.jar().toString(), "--version").redirectErrorStream(true).start();
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jvm.exitValue()).as(out).isZero();
        assertThat(out).contains("dev.fakehomeserver.internal.cli.StandaloneMain source: shared objects file (top)");
    }

    @Test
    void a_missing_directory_or_argument_exits_2_with_a_message() throws Exception {
        try (StandaloneProcess p = StandaloneProcess.start("cds-archive", dir.resolve("no/such/dir.jsa").toString())) {
            assertThat(p.awaitExit()).isEqualTo(2);
            assertThat(p.output()).contains("does not exist");
        }
        try (StandaloneProcess p = StandaloneProcess.start("cds-archive")) {
            assertThat(p.awaitExit()).isEqualTo(2);
            assertThat(p.output()).contains("takes one argument", "Usage: fake-homeserver cds-archive FILE");
        }
        assertThat(List.of(dir.toFile().list())).isEmpty();
    }
}
