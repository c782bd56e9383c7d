package dev.fakehomeserver;

/**
 * A warning about a registration that Synapse accepts but that is probably a mistake, such as a users regex that
 * claims every user of the server or a token that is too short.
 *
 * <pre>{@code
 * List<LintFinding> findings =
 *         dev.fakehomeserver.internal.registration.RegistrationLint.lint(registration, "test");
 * // LintFinding[registrationId=weather, field=rate_limited,
 * //             message=rate_limited is false: the appservice's users bypass rate limits; ...]
 * findings.forEach(f -> log.warn("{}: {}: {}", f.registrationId(), f.field(), f.message()));
 * }</pre>
 *
 * @param registrationId the id of the registration the finding is about
 * @param field the field, such as {@code namespaces.users[0].regex} or {@code url}
 * @param message what is wrong and why it matters
 */
public record LintFinding(String registrationId, String field, String message) {
}
