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
 * @param maxUploadBytes media uploads above this size are refused with 413 {@code M_TOO_LARGE} (50 MiB, as
 *     Synapse's {@code max_upload_size} default)
 * @param messageRateLimit the message limiter's setting, or null for no rate limiting (the default)
 * @param maxMediaBytes all stored media together; an upload that would pass it is refused with 413
 *     {@code M_TOO_LARGE} until a reset (512 MiB; Synapse 1.94 has no such budget, it stores on disk)
 * @param publicBaseUrl what {@code well_known} in {@code /login} answers and {@code /.well-known/matrix/client}
 *     name as the homeserver's base url (Synapse's {@code public_baseurl}, ending in {@code /}), or null for the
 *     url the request came to (its scheme and {@code Host} header)
 */
public record Options(boolean openRegistration, boolean requireExclusiveUserNamespace,
                      boolean checkNamespaceConflicts, int maxEventBytes, long maxUploadBytes,
                      dev.fakehomeserver.RateLimit messageRateLimit, long maxMediaBytes,
                      String publicBaseUrl) {
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 50L * 1024 * 1024;
    /** Ten uploads of the largest size: media is kept in the heap, and a full heap answers nobody. */
    public static final long DEFAULT_MAX_MEDIA_BYTES = 512L * 1024 * 1024;

    public static Options defaults() {
        return new Options(true, true, true, 65536, DEFAULT_MAX_UPLOAD_BYTES, null, DEFAULT_MAX_MEDIA_BYTES, null);
    }
}
