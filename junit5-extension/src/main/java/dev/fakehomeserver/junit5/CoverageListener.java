package dev.fakehomeserver.junit5;

import dev.fakehomeserver.coverage.Coverage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the suite's scenario coverage report when the test run ends: {@code target/fake-homeserver/coverage.md}
 * and {@code coverage.html}, each behaviour of the {@link dev.fakehomeserver.coverage.Behaviour catalogue},
 * covered or not, per appservice, by which tests (docs/coverage.md). JUnit finds it through
 * {@code META-INF/services}, so a suite that uses the {@link FakeHomeserver} extension gets the report with nothing
 * to configure; a run without any fake homeserver test writes nothing.
 *
 * <pre>{@code
 * mvn test                                           # then open target/fake-homeserver/coverage.html
 * mvn test -Dfakehomeserver.coverage=false           # no report, and the extension publishes nothing
 * mvn test -Dfakehomeserver.coverage.dir=build/cov   # elsewhere (relative to the working directory)
 * }</pre>
 *
 * <p>The extension hands it what each test covered as a JUnit report entry (key {@code fakehomeserver.coverage});
 * IDEs that print report entries show that line under each test. Under Surefire with {@code forkCount} above 1,
 * each fork adds its tests to the same report ({@link CoverageFiles}). A server a test starts itself with
 * {@code Homeserver.builder()} is not in the report: only the extension's servers are.
 */
public final class CoverageListener implements TestExecutionListener {
    /** The switch, a JUnit configuration parameter or system property: {@code false} turns the report off. */
    public static final String ENABLED = "fakehomeserver.coverage";
    /** Where the report goes: {@code target/fake-homeserver} unless this parameter says otherwise. */
    public static final String DIR = "fakehomeserver.coverage.dir";

    private final Map<String, Coverage> byTest = new LinkedHashMap<>();
    private boolean enabled = true;
    private Path dir = Path.of("target", "fake-homeserver");

    /** Made by JUnit's launcher through {@code META-INF/services}. */
    public CoverageListener() {}

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        var params = plan.getConfigurationParameters();
        enabled = params.getBoolean(ENABLED).orElse(true);
        dir = params.get(DIR).map(Path::of).orElse(dir);
    }

    @Override
    public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
        Optional<String> value = Optional.ofNullable(entry.getKeyValuePairs().get(CoverageEntry.KEY));
        if (!enabled || value.isEmpty()) {
            return;
        }
        Coverage c = CoverageEntry.decode(value.get());
        synchronized (byTest) {
            byTest.merge(name(test), c, Coverage::plus);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        Map<String, Coverage> mine;
        synchronized (byTest) {
            if (!enabled || byTest.isEmpty()) {
                return;
            }
            mine = new LinkedHashMap<>(byTest);
        }
        CoverageFiles.write(dir, mine);
    }

    /** {@code WeatherBotTest.answers_in_the_room}, or the class alone for what its {@code @AfterAll} covered. */
    static String name(TestIdentifier test) {
        TestSource source = test.getSource().orElse(null);
        if (source instanceof MethodSource m) {
            String cls = m.getClassName();
            return cls.substring(cls.lastIndexOf('.') + 1) + "." + m.getMethodName();
        }
        if (source instanceof ClassSource c) {
            String cls = c.getClassName();
            return cls.substring(cls.lastIndexOf('.') + 1);
        }
        return test.getDisplayName();
    }
}
