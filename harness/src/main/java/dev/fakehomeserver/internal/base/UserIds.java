package dev.fakehomeserver.internal.base;

/**
 * The one check of a user id's outline, {@code @localpart:server} with both parts non-empty, used wherever a test
 * names a user (the injection DSL, seeds, the control API). The client-server API checks localparts itself, with
 * Synapse's stricter grammar and errcodes.
 */
public final class UserIds {
    private UserIds() {}

    /** Whether {@code userId} is {@code @localpart:server} with both parts non-empty. */
    public static boolean isValid(String userId) {
        if (userId == null) {
            return false;
        }
        int colon = userId.indexOf(':');
        return userId.startsWith("@") && colon >= 2 && colon < userId.length() - 1;
    }

    /**
     * Returns {@code userId} when it {@link #isValid is valid}.
     *
     * @throws IllegalArgumentException naming the id otherwise
     */
    public static String require(String userId) {
        if (!isValid(userId)) {
            throw new IllegalArgumentException("Not a user id: '" + userId + "' (expected @localpart:server)");
        }
        return userId;
    }
}
