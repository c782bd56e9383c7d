package dev.fakehomeserver.conformance;

/**
 * The result of one check.
 *
 * <pre>{@code
 * report.results().stream().filter(r -> r.outcome() == Outcome.FAIL).forEach(System.out::println);
 * }</pre>
 */
public enum Outcome {
    /** The appservice did what the check asks. */
    PASS,
    /** A {@link Level#MUST} check failed. */
    FAIL,
    /** A {@link Level#SHOULD} check failed, or a check could not observe what it needs (the detail says why). */
    WARN,
    /** Not applicable to this registration (no protocols declared, no ephemeral opt-in). */
    SKIP
}
