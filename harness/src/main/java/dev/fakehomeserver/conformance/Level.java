package dev.fakehomeserver.conformance;

/**
 * How strongly the specification asks for what a check checks, from its own words ("MUST", "should").
 *
 * <pre>{@code
 * ConformanceReport report = AppserviceConformance.of(hs, "weather").run();
 * assertThat(report.conformsTo(Level.MUST)).as(report.table()).isTrue();
 * }</pre>
 */
public enum Level {
    /** Required: a failure is {@link Outcome#FAIL} and makes the standalone command exit with 1. */
    MUST,
    /** Recommended: a failure is reported as {@link Outcome#WARN}. */
    SHOULD
}
