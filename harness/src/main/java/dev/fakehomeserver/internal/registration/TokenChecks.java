package dev.fakehomeserver.internal.registration;

/**
 * What the fake asks of as_token and hs_token (issue 17, item 6). Synapse 1.94 loads an empty token; the fake
 * refuses one, at load (naming the field and line) and for registrations built in code or added at run time:
 * an empty as_token let {@code ?access_token=} act as the appservice's sender, and an empty hs_token sends
 * pushes without a secret. Short or repetitive tokens only get a lint finding.
 */
final class TokenChecks {
    static final int MIN_LENGTH = 32;
    /** Fewer distinct characters than this is a pattern, not a random token ("aaaa...", "abababab..."). */
    static final int MIN_DISTINCT = 8;

    private TokenChecks() {}

    /** Why the token cannot be used at all, or null. */
    static String refusal(String field, String token) {
        if (token.isBlank()) {
            return field + " is empty: an empty token would let requests without a secret act as the appservice; "
                    + "use at least " + MIN_LENGTH + " random characters (e.g. openssl rand -hex 32)";
        }
        return null;
    }

    /** A lint warning for a usable but weak token, or null. Only length and shape are told: it is a secret. */
    static String weakness(String field, String token) {
        if (token.length() < MIN_LENGTH) {
            return field + " is " + token.length() + " characters long; use at least " + MIN_LENGTH
                    + " random characters (e.g. openssl rand -hex 32)";
        }
        long distinct = token.chars().distinct().count();
        if (distinct < MIN_DISTINCT) {
            return field + " uses only " + distinct + " distinct characters: it looks like a pattern, not a random "
                    + "token; use e.g. openssl rand -hex 32";
        }
        return null;
    }
}
