package dev.fakehomeserver.internal.model;

/**
 * Behaviour switches of one fake homeserver, fixed at build time.
 *
 * @param openRegistration ordinary users may register with the {@code m.login.dummy} stage (Synapse's
 *     {@code enable_registration}; on by default because the recorded conversation needs it)
 * @param requireExclusiveUserNamespace the platform's rule: appservices create users only inside an exclusive
 *     users namespace (the seed's "The exclusive: true flag is required")
 * @param checkNamespaceConflicts the platform's rule: refuse registrations whose exclusive namespaces overlap
 * @param maxEventBytes events above this size are refused with 413 {@code M_TOO_LARGE} (Synapse: 65536)
 */
public record Options(boolean openRegistration, boolean requireExclusiveUserNamespace,
                      boolean checkNamespaceConflicts, int maxEventBytes) {
    public static Options defaults() {
        return new Options(true, true, true, 65536);
    }
}
