package dev.fakehomeserver.internal.http;

/** Whether a route needs an access token. */
public enum AuthMode {
    /** No token is read; a token sent anyway is ignored. */
    NONE,
    /** A token is used when present (and must then be valid), else the request is anonymous. */
    OPTIONAL,
    /** A valid token is required: 401 {@code M_MISSING_TOKEN} or {@code M_UNKNOWN_TOKEN} otherwise. */
    REQUIRED,
    /**
     * A valid token is required, as for {@link #REQUIRED}, but a refusal surfaces only when the endpoint first
     * asks who is calling ({@link Call#who()}): for the endpoints where Synapse validates the path or the body
     * before its {@code get_user_by_req} (room aliases, appservice room lists), so its 400s come first.
     */
    LATE
}
