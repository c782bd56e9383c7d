package dev.fakehomeserver.conformance;

/**
 * One entry of the catalogue: what is checked, how strongly, where the spec says so, what the fake sends and what
 * passes. {@link AppserviceConformance#catalogue()} lists them all, in the order they run.
 *
 * <pre>{@code
 * for (ConformanceCheck c : AppserviceConformance.catalogue()) {
 *     System.out.println(c.id() + " " + c.level() + " " + c.section());
 * }
 * }</pre>
 *
 * @param id a stable id such as {@code auth.txn.wrong_token}
 * @param level MUST or SHOULD, from the spec's words
 * @param section the spec section (and the section of {@code spec-digest.md} that cites it)
 * @param sends what the fake sends the appservice
 * @param passes what answer passes
 */
public record ConformanceCheck(String id, Level level, String section, String sends, String passes) {}
