package dev.fakehomeserver.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.fakehomeserver.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;

/**
 * Figure 10: a suite of {@value SuiteTests#TESTS} JUnit tests ({@link SuiteTests}) run by the JUnit Platform
 * launcher in this JVM, the {@code FakeHomeserver} extension resetting the class's server before each, each test
 * running one scenario ({@link Scenario#once}). Per test: the time JUnit reports from the test's start to its end
 * (the extension's reset and checks included) minus the scenario the test timed itself. One launcher run per
 * round; the first is not measured.
 */
final class Suite {
    /** Set before {@link SuiteTests} is first loaded: its extension is built from it. */
    static volatile Registration registration;
    static volatile ReplyBot bot;
    /** The scenario time of the test running now, set by the test, read when JUnit reports its end. */
    static volatile long scenarioNanos;

    private Suite() {}

    static Figure run(int rounds) throws Exception {
        double[] beyond = new double[rounds];
        double[] perTest = new double[rounds];
        double[] total = new double[rounds];
        try (ReplyBot b = new ReplyBot()) {
            bot = b;
            registration = Fakes.registration("bench", b.url());
            Launcher launcher = LauncherFactory.create();
            for (int r = Bench.firstRound; r < rounds; r++) {
                Timer timer = new Timer();
                long t0 = System.nanoTime();
                launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(SuiteTests.class))
                        .build(), timer);
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (!timer.failures.isEmpty() || timer.tests.size() != SuiteTests.TESTS) {
                    throw new IllegalStateException("suite: " + timer.tests.size() + " tests ran, "
                            + timer.failures.size() + " failed; first: " + timer.failures.stream().findFirst()
                            .orElse("-"));
                }
                if (r >= 0) {
                    beyond[r] = Stats.median(timer.beyond.stream().mapToDouble(Double::doubleValue).toArray());
                    perTest[r] = Stats.median(timer.tests.stream().mapToDouble(Double::doubleValue).toArray());
                    total[r] = seconds;
                }
            }
        }
        return Figure.absolute("10. suite: per test beyond its scenario", "ms", beyond,
                Figure.Target.atMost(2, "<= 2 ms"), List.of(
                        String.format("%,d tests per round, reset before each; per test %.2f ms (%.2f-%.2f), "
                                        + "suite %.2f s (%.2f-%.2f) in one JVM", SuiteTests.TESTS,
                                Stats.median(perTest), Stats.min(perTest), Stats.max(perTest), Stats.median(total),
                                Stats.min(total), Stats.max(total))));
    }

    /** Times each test as JUnit reports it, and keeps what failed. */
    private static final class Timer implements TestExecutionListener {
        final Map<String, Long> started = new ConcurrentHashMap<>();
        final List<Double> tests = new ArrayList<>();
        final List<Double> beyond = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                scenarioNanos = 0;
                started.put(id.getUniqueId(), System.nanoTime());
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failures.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
            }
            if (id.isTest()) {
                long nanos = System.nanoTime() - started.get(id.getUniqueId());
                tests.add(nanos / 1e6);
                beyond.add((nanos - scenarioNanos) / 1e6);
            }
        }
    }
}
