package dev.fakehomeserver.conformance;

import dev.fakehomeserver.internal.conformance.KitRun;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The dynamic tests of {@link AppserviceConformance#tests()}, in a class of their own so that only it refers to
 * JUnit (an optional dependency the standalone jar does not carry).
 */
final class ConformanceTests {
    private ConformanceTests() {}

    static Stream<DynamicTest> of(Supplier<KitRun> start, List<ConformanceCheck> checks) {
        // One session for all the tests, started by the first one that runs (not when the stream is built).
        KitRun[] session = new KitRun[1];
        return checks.stream().map(c -> DynamicTest.dynamicTest(c.id() + " (" + c.level() + ")", () -> {
            if (session[0] == null) {
                session[0] = start.get();
            }
            CheckResult r = session[0].run(c.id());
            String message = r + "\n  the kit created: " + session[0].created();
            switch (r.outcome()) {
                case FAIL -> throw new AssertionFailedError(message);
                case WARN, SKIP -> throw new TestAbortedException(message);
                case PASS -> { }
            }
        }));
    }
}
