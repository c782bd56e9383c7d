package dev.fakehomeserver;

/**
 * A warning about a registration that Synapse accepts but that is probably a mistake, such as a users regex that
 * claims every user of the server or a token that is too short; on the hosting platform also its advice, such as a
 * url that its cluster cannot reach.
 *
 * <pre>{@code
 * for (LintFinding f : hs.lint()) {
 *     // weather, rate_limited (line 7): rate_limited is false: the appservice's users bypass rate limits; ...
 *     log.warn("{}", f);
 * }
 * }</pre>
 *
 * @param registrationId the id of the registration the finding is about
 * @param field the field, such as {@code namespaces.users[0].regex} or {@code url}
 * @param message what is wrong and why it matters
 * @param line the 1-based line of the field in the registration's file, 0 when unknown (built in code)
 */
public record LintFinding(String registrationId, String field, String message, int line) {
    /** A finding whose line is unknown. */
    public LintFinding(String registrationId, String field, String message) {
        this(registrationId, field, message, 0);
    }

    /** {@code weather, rate_limited (line 7): ...}: the field, its line when known, and the message. */
    @Override
    public String toString() {
        return registrationId + ", " + field + (line > 0 ? " (line " + line + ")" : "") + ": " + message;
    }
}
