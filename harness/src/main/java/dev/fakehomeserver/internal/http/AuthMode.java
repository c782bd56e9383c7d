package dev.fakehomeserver.internal.http;

/** Whether a route needs an access token. */
public enum AuthMode {
    /** No token is read; a token sent anyway is ignored. */
    NONE,
    /** A token is used when present (and must then be valid), else the request is anonymous. */
    OPTIONAL,
    /** A valid token is required: 401 {@code M_MISSING_TOKEN} or {@code M_UNKNOWN_TOKEN} otherwise. */
    REQUIRED
}
