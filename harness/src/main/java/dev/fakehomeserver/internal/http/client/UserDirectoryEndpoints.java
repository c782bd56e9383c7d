package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /user_directory/search} with Synapse 1.94's default rules ({@code search_all_users: false}):
 *
 * <ul>
 *   <li>the directory holds local users only, and none an appservice is interested in: not its sender, not a
 *       user of any of its namespaces (Synapse's {@code should_include_local_user_in_dir}), so a bridge's ghosts
 *       are never found here;
 *   <li>a user is visible when joined to a public room (join rule {@code public} or history
 *       {@code world_readable}), or when sharing another room with the searcher, both joined;
 *   <li>the term matches like SQLite's full-text search: each word of it must be the prefix of a word of the
 *       user id or display name (words are runs of letters and digits, case folded), so {@code "ali"} finds
 *       {@code @alice:test} but {@code "lice"} does not.
 * </ul>
 *
 * Results are in user id order (Synapse orders by its full-text rank, which the fake does not compute).
 */
public final class UserDirectoryEndpoints {
    private static final int MAX_LIMIT = 50;
    private final HomeserverModel model;

    public UserDirectoryEndpoints(HomeserverModel model) {
        this.model = model;
    }

    public void register(RouteTable.Builder r) {
        r.client("POST", "/user_directory/search", AuthMode.REQUIRED, this::search);
        r.add("POST", "/_matrix/client/unstable/user_directory/search", AuthMode.REQUIRED, this::search);
    }

    private Object search(Call c) {
        ObjectNode b = c.object();
        int limit = Math.max(0, Math.min(limit(b.get("limit")), MAX_LIMIT));
        JsonNode term = b.get("search_term");
        if (term == null) {
            throw MatrixException.unknown(400, "`search_term` is required field");
        }
        if (!term.isTextual()) {
            // Synapse 1.94 answers 500 here (the term reaches the database layer); a correct server refuses it.
            throw MatrixException.badJson("`search_term` must be a string");
        }
        List<String> words = words(term.asText());
        String searcher = c.who().userId();
        return model.read(() -> {
            List<User> found = new ArrayList<>();
            if (!words.isEmpty()) {
                for (User u : model.users()) {
                    if (inDirectory(u) && visibleTo(u.userId(), searcher) && matches(u, words)) {
                        found.add(u);
                    }
                }
            }
            found.sort(java.util.Comparator.comparing(User::userId));
            ObjectNode o = Json.object();
            o.put("limited", found.size() > limit);
            ArrayNode results = o.putArray("results");
            for (User u : found.subList(0, Math.min(limit, found.size()))) {
                ObjectNode row = results.addObject();
                row.put("user_id", u.userId());
                row.put("display_name", u.displayname());
                row.put("avatar_url", u.avatarUrl());
            }
            return o;
        });
    }

    /** Synapse's {@code int(body.get("limit", 10))}: numbers and numeric strings. */
    private static int limit(JsonNode n) {
        if (n == null) {
            return 10;
        }
        if (n.isNumber()) {
            return n.asInt();
        }
        if (n.isTextual()) {
            try {
                return Integer.parseInt(n.asText().trim());
            } catch (NumberFormatException e) {
                // Synapse 1.94: 500 (an uncaught ValueError).
                throw MatrixException.badJson("'limit' must be an integer");
            }
        }
        throw MatrixException.badJson("'limit' must be an integer");
    }

    private boolean inDirectory(User u) {
        if (u.isRemote()) {
            return false;
        }
        for (Appservice as : model.appservices()) {
            if (as.matcher().isInterestedInUser(u.userId())) {
                return false;
            }
        }
        return true;
    }

    private boolean visibleTo(String userId, String searcher) {
        Set<String> mine = model.joinedRooms(searcher);
        for (String roomId : model.joinedRooms(userId)) {
            Room room = model.room(roomId);
            if (room == null) {
                continue;
            }
            if ("public".equals(room.state().joinRule()) || RoomAccess.worldReadable(room)) {
                return true;
            }
            if (!userId.equals(searcher) && mine.contains(roomId)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(User u, List<String> words) {
        List<String> tokens = words(u.userId() + " " + (u.displayname() == null ? "" : u.displayname()));
        for (String w : words) {
            if (tokens.stream().noneMatch(t -> t.startsWith(w))) {
                return false;
            }
        }
        return true;
    }

    /** Runs of letters and digits, lower-cased: SQLite FTS's simple tokenizer. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isLetterOrDigit(ch)) {
                cur.append(ch);
            } else if (cur.length() > 0) {
                out.add(cur.toString().toLowerCase(Locale.ROOT));
                cur.setLength(0);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
