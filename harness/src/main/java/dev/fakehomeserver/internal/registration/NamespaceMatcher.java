package dev.fakehomeserver.internal.registration;

import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Answers Synapse's namespace questions for one registration ({@code synapse/appservice/__init__.py}).
 *
 * <p>Patterns are compiled once. Matching is {@link java.util.regex.Matcher#lookingAt()}: Python's
 * {@code re.match}, anchored at the start only. The first matching entry decides exclusivity, and the sender user
 * is always interested and exclusive (an exact string comparison).
 */
public final class NamespaceMatcher {
    private final String senderUserId;
    private final Entry[] users;
    private final Entry[] aliases;
    private final Entry[] rooms;

    private record Entry(Pattern pattern, boolean exclusive) {
        boolean matches(String id) {
            return pattern.matcher(id).lookingAt();
        }
    }

    public NamespaceMatcher(Registration registration, String serverName) {
        this.senderUserId = registration.senderUserId(serverName);
        this.users = compile(registration.users());
        this.aliases = compile(registration.aliases());
        this.rooms = compile(registration.rooms());
    }

    private static Entry[] compile(List<Namespace> list) {
        Entry[] out = new Entry[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Entry(list.get(i).pattern(), list.get(i).exclusive());
        }
        return out;
    }

    public String senderUserId() {
        return senderUserId;
    }

    /** The sender, or any users entry matches (no locality check, as in Synapse). */
    public boolean isInterestedInUser(String userId) {
        return senderUserId.equals(userId) || first(users, userId) != null;
    }

    /** A users entry matches; the sender alone does not count. */
    public boolean userMatchesNamespace(String userId) {
        return first(users, userId) != null;
    }

    /** The sender, or the first matching users entry is exclusive. */
    public boolean isExclusiveUser(String userId) {
        if (senderUserId.equals(userId)) {
            return true;
        }
        Entry e = first(users, userId);
        return e != null && e.exclusive;
    }

    public boolean isInterestedInAlias(String alias) {
        return first(aliases, alias) != null;
    }

    public boolean isExclusiveAlias(String alias) {
        Entry e = first(aliases, alias);
        return e != null && e.exclusive;
    }

    public boolean isInterestedInRoomId(String roomId) {
        return first(rooms, roomId) != null;
    }

    public boolean isExclusiveRoom(String roomId) {
        Entry e = first(rooms, roomId);
        return e != null && e.exclusive;
    }

    private static Entry first(Entry[] entries, String id) {
        for (Entry e : entries) {
            if (e.matches(id)) {
                return e;
            }
        }
        return null;
    }
}
