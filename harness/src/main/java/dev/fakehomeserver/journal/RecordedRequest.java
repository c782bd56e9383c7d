package dev.fakehomeserver.journal;

import java.time.Instant;

/**
 * One client-server request the fake received, with what it answered. Tokens never appear: the
 * {@code access_token} query parameter is shown as {@code <redacted>} and passwords are removed from bodies.
 *
 * <pre>{@code
 * for (RecordedRequest r : hs.journal().requests()) {
 *     System.out.println(r);   // #3 PUT /_matrix/client/v3/rooms/!a:test/send/m.room.message/t1 as weather (@weather_bob:test) -> 200
 * }
 * }</pre>
 *
 * @param seq the position in the journal, from 1
 * @param time when the request arrived (the server's clock)
 * @param method the HTTP method
 * @param path the raw path, as sent (percent-encoded)
 * @param query the raw query string with secrets redacted, or an empty string
 * @param appserviceId the appservice whose as_token authenticated it, or null
 * @param userId the acting user after identity assertion, or null when unauthenticated
 * @param deviceId the acting device, or null
 * @param status the HTTP status answered
 * @param errcode the Matrix errcode answered, or null on success
 * @param error the error message answered, or null on success
 * @param requestBody the request body as text (redacted, truncated to 16 KiB), or an empty string
 * @param responseBody the JSON answered (truncated to 16 KiB), or an empty string for binary answers
 */
public record RecordedRequest(long seq, Instant time, String method, String path, String query,
                              String appserviceId, String userId, String deviceId, int status, String errcode,
                              String error, String requestBody, String responseBody) {

    /** Whether the fake refused the request (a 4xx or 5xx status). */
    public boolean refused() {
        return status >= 400;
    }

    /**
     * The path without the client API prefix and version, e.g. {@code /rooms/%21a%3Atest/send/m.room.message/t1}:
     * {@link PathPattern#withoutPrefix}, the one rule fault rules and journal asserts both match paths by.
     */
    public String shortPath() {
        return PathPattern.withoutPrefix(path);
    }

    /** One line: sequence, method, path, who, status and errcode. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("#").append(seq).append(' ').append(method).append(' ').append(path);
        if (!query.isEmpty()) {
            sb.append('?').append(query);
        }
        if (appserviceId != null) {
            sb.append(" as ").append(appserviceId);
        }
        if (userId != null) {
            sb.append(" (").append(userId).append(')');
        }
        sb.append(" -> ").append(status);
        if (errcode != null) {
            sb.append(' ').append(errcode).append(": ").append(error);
        }
        return sb.toString();
    }
}
