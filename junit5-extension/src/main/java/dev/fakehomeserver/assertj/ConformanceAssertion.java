package dev.fakehomeserver.assertj;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.conformance.AppserviceConformance;
import dev.fakehomeserver.conformance.ConformanceReport;
import dev.fakehomeserver.conformance.Level;
import dev.fakehomeserver.expect.Expectation;

/**
 * The conformance kit as one assertion, behind {@link AppserviceAssert#conformsTo(Level)}: runs every check and
 * fails with the kit's table (what was sent, what came back, the spec section) unless the appservice conforms.
 *
 * <pre>{@code
 * assertThat(hs).appservice("weather").conformsTo(Level.MUST);
 * assertThat(hs).appservice("weather").conformsTo(Level.SHOULD, "!weather paris");   // with a probe it answers
 * }</pre>
 */
final class ConformanceAssertion {
    private ConformanceAssertion() {}

    static ConformanceReport check(Homeserver hs, String appserviceId, Level level, String probe) {
        AppserviceConformance kit = AppserviceConformance.of(hs, appserviceId);
        if (probe != null) {
            kit.probe(probe);
        }
        ConformanceReport report = kit.run();
        if (!report.conformsTo(level)) {
            throw new AssertionError(Expectation.reported(hs, "Appservice " + appserviceId + " does not conform to "
                    + level + ": " + report.failures(level).size() + " checks fail\n" + report.table()));
        }
        return report;
    }
}
