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
    /**
     * Users answers remembered: every appended event asks each appservice about its sender, and a regex match
     * (a fresh Matcher each time) made the append path grow with the number of registrations. The patterns never
     * change, so an answer never goes stale; the map is cleared when it grows large (a test has few user ids).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Entry> userAnswers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final Entry NO_MATCH = new Entry(Pattern.compile(""), false);
    private static final int MAX_REMEMBERED = 10_000;

    private record Entry(Pattern pattern, boolean exclusive) {
        boolean matches(String id) {
            return RegexBudget.lookingAt(pattern, id);
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
        return senderUserId.equals(userId) || firstUser(userId) != null;
    }

    /** A users entry matches; the sender alone does not count. */
    public boolean userMatchesNamespace(String userId) {
        return firstUser(userId) != null;
    }

    /** The sender, or the first matching users entry is exclusive. */
    public boolean isExclusiveUser(String userId) {
        if (senderUserId.equals(userId)) {
            return true;
        }
        Entry e = firstUser(userId);
        return e != null && e.exclusive;
    }

    /** Whether any rooms or aliases entry exists: without one, no room id or alias can interest it. */
    public boolean hasRoomOrAliasNamespaces() {
        return rooms.length > 0 || aliases.length > 0;
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

    private Entry firstUser(String userId) {
        Entry known = userAnswers.get(userId);
        if (known == null) {
            Entry e = first(users, userId);
            known = e == null ? NO_MATCH : e;
            if (userAnswers.size() >= MAX_REMEMBERED) {
                userAnswers.clear();
            }
            userAnswers.put(userId, known);
        }
        return known == NO_MATCH ? null : known;
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
