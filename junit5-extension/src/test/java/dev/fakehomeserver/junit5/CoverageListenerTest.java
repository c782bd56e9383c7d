package dev.fakehomeserver.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.coverage.Coverage;
import dev.fakehomeserver.junit5.scenarios.CoverageScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * The coverage report of a real run: a launcher (which finds {@link CoverageListener} through
 * {@code META-INF/services}, as Surefire's does) runs {@link CoverageScenario}, and the report says which test
 * covered what.
 */
class CoverageListenerTest {

    private static long run(Path dir, String enabled) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        var request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(CoverageScenario.class))
                .configurationParameter(CoverageListener.DIR, dir.toString())
                .configurationParameter(CoverageListener.ENABLED, enabled).build();
        launcher.execute(request, summary);
        assertThat(summary.getSummary().getFailures()).extracting(f -> f.getException().toString()).isEmpty();
        return summary.getSummary().getTestsSucceededCount();
    }

    @Test
    void the_listener_is_registered_for_the_launcher_through_meta_inf_services() {
        assertThat(ServiceLoader.load(TestExecutionListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(CoverageListener.class);
    }

    @Test
    void a_run_writes_each_behaviour_covered_or_not_with_the_tests_that_covered_it(@TempDir Path dir) throws Exception {
        assertThat(run(dir, "true")).isEqualTo(2);

        String md = Files.readString(dir.resolve("coverage.md"));
        assertThat(md).contains("## echo: 4 of " + Behaviour.values().length + " covered");
        assertThat(md).contains("| `remote-user-event` An event from a user of another server pushed | 2 | "
                + "CoverageScenario.a_remote_user_talks_to_a_ghost |");
        assertThat(md).contains("| `ghost-kicked` One of its users kicked | 1 | CoverageScenario.the_ghost_is_kicked |");
        assertThat(md).as("the reset before the second test counts for it")
                .contains("| `reset-between-tests` ").contains("| 1 | CoverageScenario.the_ghost_is_kicked |");
        assertThat(md).as("what @AfterAll did counts for the class")
                .contains("| `wrong-hs-token` A push with a wrong or missing hs_token presented to the appservice | 1 | CoverageScenario |");
        assertThat(md).contains("Not covered, and how to make each happen:")
                .contains("- `transaction-retried` A transaction sent again after it failed: " + Behaviour.TRANSACTION_RETRIED.howTo());
        String html = Files.readString(dir.resolve("coverage.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2>echo: 4 of ")
                .contains("CoverageScenario.the_ghost_is_kicked");
    }

    @Test
    void switched_off_it_writes_nothing(@TempDir Path dir) {
        assertThat(run(dir, "false")).isEqualTo(2);
        assertThat(dir.resolve("coverage.md")).doesNotExist();
    }

    @Test
    void the_forks_of_one_run_add_up_and_an_earlier_runs_part_is_dropped(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("forks").resolve(CoverageFiles.run());
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("1.txt"), "OtherForkTest.pings\techo=ping:3\n");
        Path stale = dir.resolve("forks").resolve("surefire-an-earlier-run");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("2.txt"), "EarlierTest.was_here\techo=edit:1\n");

        Map<Behaviour, Long> mine = new EnumMap<>(Behaviour.class);
        mine.put(Behaviour.REDACTION, 1L);
        Map<String, Coverage> byTest = new LinkedHashMap<>();
        byTest.put("ThisForkTest.redacts", Coverage.of(Map.of("echo", mine)));
        CoverageFiles.write(dir, byTest);

        String md = Files.readString(dir.resolve("coverage.md"));
        assertThat(md).contains("| `ping` A ping asked of the appservice | 3 | OtherForkTest.pings |")
                .contains("| `redaction` A redaction pushed | 1 | ThisForkTest.redacts |")
                .doesNotContain("EarlierTest");
        assertThat(stale).doesNotExist();
    }

    @Test
    void a_coverage_entry_reads_back_as_it_was_written_whatever_the_appservice_id() {
        Map<Behaviour, Long> m = new EnumMap<>(Behaviour.class);
        m.put(Behaviour.PING, 2L);
        m.put(Behaviour.EDIT, 1L);
        Map<String, Map<Behaviour, Long>> counts = new LinkedHashMap<>();
        counts.put("odd;id=with,colons:", m);
        counts.put("idle", Map.of());
        Coverage c = Coverage.of(counts);
        String text = CoverageEntry.encode(c);
        assertThat(CoverageEntry.decode(text)).isEqualTo(c);
        assertThat(CoverageEntry.decode(text).appservices()).containsExactly("odd;id=with,colons:", "idle");
        assertThat(CoverageEntry.decode("idle=ping:1,a-behaviour-of-a-later-version:4").counts("idle"))
                .containsOnlyKeys(Behaviour.PING);
    }
}
