package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.Services;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The public room lists, {@code GET} and {@code POST /publicRooms}, as Synapse 1.94's
 * {@code PublicRoomListRestServlet}, {@code RoomListHandler._get_public_room_list} and
 * {@code get_largest_public_rooms} answer them (checked by the {@code directory} conversation).
 *
 * <p>Listed: rooms published to the directory (and, for {@code include_all_networks}, every appservice
 * network's list; for {@code third_party_instance_id} that one list) whose join rule is public, knock or
 * knock_restricted or whose history is world_readable, with at least one joined member; most members first,
 * then room id descending. Paging is by keyset as in Synapse: a token names the last room's member count and id
 * and a direction, so it stays right when rooms come and go. Tokens are opaque (base64 of our own text, not
 * Synapse's msgpack); a token that does not parse is 400 {@code M_INVALID_PARAM} where Synapse 1.94 answers 500.
 *
 * <p>{@code GET} reads only {@code limit}, {@code since} and {@code server} (the main list, as Synapse).
 * {@code POST} takes {@code limit} as Python's {@code int()} does (a numeric string, a float or a boolean pass);
 * what {@code int()} refuses, and a {@code filter} or network id of the wrong type, are 400 {@code M_BAD_JSON}
 * where Synapse 1.94 answers 500. {@code ?server=} another server is 403 "Federation denied" (no federation).
 */
public final class PublicRoomsEndpoints {
    private final Services s;
    private final HomeserverModel model;

    public PublicRoomsEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        // Synapse 1.94 with its default config (allow_public_rooms_without_auth: false) wants a token here.
        r.clientV1("GET", "/publicRooms", AuthMode.REQUIRED, this::get);
        r.clientV1("POST", "/publicRooms", AuthMode.REQUIRED, this::post);
    }

    /** Which list: the server's own (network null, all false), one network's, or all of them. */
    private record Query(Integer limit, String since, String term, List<String> roomTypes, boolean typesGiven,
                         String network, boolean allNetworks) {}

    private Object get(Call c) {
        c.who();
        String server = c.query("server");
        String rawLimit = c.query("limit");
        int limit = 0;
        if (rawLimit != null) {
            if (!SynapseIds.PYTHON_INT.matcher(rawLimit).matches()) {
                throw MatrixException.invalidParam("Query parameter \"limit\" must be an integer.");
            }
            limit = parsePythonInt(rawLimit);
        }
        checkServer(server);
        return list(new Query(limit == 0 ? null : limit, c.query("since"), null, null, false, null, false));
    }

    private Object post(Call c) {
        c.who();
        String server = c.query("server");
        ObjectNode b = c.object();
        int limit = b.has("limit") ? pythonInt(b.get("limit")) : 100;
        String since = Json.truthy(b.get("since")) ? textOrBadJson(b.get("since"), "since") : null;
        JsonNode filter = b.get("filter");
        String term = null;
        List<String> roomTypes = null;
        boolean typesGiven = false;
        if (Json.truthy(filter)) {
            if (!filter.isObject()) {
                throw MatrixException.badJson("'filter' must be an object");
            }
            if (Json.truthy(filter.get("generic_search_term"))) {
                term = textOrBadJson(filter.get("generic_search_term"), "generic_search_term");
            }
            JsonNode types = filter.get("room_types");
            if (Json.truthy(types)) {
                if (!types.isArray()) {
                    throw MatrixException.badJson("'room_types' must be a list");
                }
                typesGiven = true;
                roomTypes = new ArrayList<>();
                for (JsonNode t : types) {
                    roomTypes.add(t.isNull() ? null : t.asText());
                }
            }
        }
        boolean all = Json.truthy(b.get("include_all_networks"));
        JsonNode instance = b.get("third_party_instance_id");
        String network = null;
        if (all) {
            if (instance != null && !instance.isNull()) {
                throw MatrixException.unknown(400, "Can't use include_all_networks with an explicit network");
            }
        } else if (instance != null && !instance.isNull()) {
            String id = textOrBadJson(instance, "third_party_instance_id");
            // ThirdPartyInstanceID.from_string: split("|", 2) must give exactly two parts.
            if (id.split("\\|", 3).length != 2) {
                throw MatrixException.unknown(400, "Invalid ID '" + id + "'");
            }
            network = id;
        }
        checkServer(server);
        return list(new Query(limit == 0 ? null : limit, since, term, roomTypes, typesGiven, network, all));
    }

    private void checkServer(String server) {
        if (server == null || server.isEmpty() || server.equals(model.serverName())) {
            return;
        }
        if (!SynapseIds.isValidServerName(server)) {
            throw MatrixException.invalidParam("Invalid server name: " + server);
        }
        throw MatrixException.forbidden("Federation denied with " + server + ".");
    }

    private Object list(Query q) {
        Bound bound = q.since() == null || q.since().isEmpty() ? null : Bound.parse(q.since());
        boolean forwards = bound == null || bound.forwards();
        Pattern like = q.term() == null ? null : like(q.term());
        List<ObjectNode> rooms = new ArrayList<>();
        int[] total = {0};
        model.read(() -> {
            for (String id : s.directory().publishedRoomIds(q.network(), q.allNetworks())) {
                ObjectNode entry = entry(model.room(id));
                if (entry == null || !typeMatches(entry, q)) {
                    continue;
                }
                total[0]++;
                if ((like == null || matches(entry, like)) && (bound == null || bound.admits(entry))) {
                    rooms.add(entry);
                }
            }
            return null;
        });
        Comparator<ObjectNode> biggestFirst = Comparator.comparingInt((ObjectNode o) -> joined(o))
                .thenComparing(o -> o.get("room_id").asText()).reversed();
        rooms.sort(forwards ? biggestFirst : biggestFirst.reversed());
        Integer limit = q.limit();
        List<ObjectNode> results = rooms;
        boolean moreToCome = false;
        if (limit != null) {
            // SQL LIMIT limit+1 (a negative LIMIT is no limit in SQLite), then Python's slice.
            int probing = limit + 1;
            if (probing >= 0 && results.size() > probing) {
                results = results.subList(0, probing);
            }
            moreToCome = results.size() == probing;
        }
        if (!forwards) {
            results = new ArrayList<>(results);
            Collections.reverse(results);
        }
        if (limit != null) {
            results = forwards ? pySlice(results, 0, limit) : pySlice(results, -limit, results.size());
        }
        ObjectNode out = Json.object();
        if (!results.isEmpty()) {
            ObjectNode first = results.get(0);
            ObjectNode last = results.get(results.size() - 1);
            boolean hasToken = bound != null;
            if (forwards ? hasToken : moreToCome) {
                out.put("prev_batch", Bound.token(first, false));
            }
            if (forwards ? moreToCome : hasToken) {
                out.put("next_batch", Bound.token(last, true));
            }
        }
        ArrayNode chunk = out.putArray("chunk");
        results.forEach(chunk::add);
        out.put("total_room_count_estimate", total[0]);
        return out;
    }

    /** Python's {@code list[start:end]} for a start or end that may be negative. */
    private static List<ObjectNode> pySlice(List<ObjectNode> l, int start, int end) {
        int n = l.size();
        int from = Math.max(0, Math.min(n, start < 0 ? n + start : start));
        int to = Math.max(0, Math.min(n, end < 0 ? n + end : end));
        return from >= to ? List.of() : l.subList(from, to);
    }

    private static int joined(ObjectNode o) {
        return o.get("num_joined_members").asInt();
    }

    /** A keyset bound: rooms after (or before) the room with this member count and id. */
    private record Bound(int members, String roomId, boolean forwards) {
        static Bound parse(String token) {
            try {
                String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
                String[] parts = text.split("\\|", 3);
                if (parts.length != 3 || !(parts[0].equals("f") || parts[0].equals("b"))) {
                    throw new IllegalArgumentException(text);
                }
                return new Bound(Integer.parseInt(parts[1]), parts[2], parts[0].equals("f"));
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("Invalid since token");
            }
        }

        static String token(ObjectNode entry, boolean forwards) {
            String text = (forwards ? "f" : "b") + "|" + joined(entry) + "|" + entry.get("room_id").asText();
            return Base64.getEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        boolean admits(ObjectNode e) {
            int m = joined(e);
            int byId = e.get("room_id").asText().compareTo(roomId);
            return forwards ? m <= members && (m < members || byId < 0) : m >= members && (m > members || byId > 0);
        }
    }

    /** The room's entry, or null when Synapse would not list it (join rule, visibility, no members). */
    private static ObjectNode entry(Room room) {
        if (room == null) {
            return null;
        }
        String joinRule = room.state().joinRule();
        String history = stateString(room, "m.room.history_visibility", "history_visibility");
        boolean listable = joinRule.equals("public") || joinRule.equals("knock") || joinRule.equals("knock_restricted")
                || "world_readable".equals(history);
        int joined = room.state().joined().size();
        if (!listable || joined == 0) {
            return null;
        }
        ObjectNode o = Json.object();
        o.put("room_id", room.roomId());
        putIfSet(o, "name", stateString(room, "m.room.name", "name"));
        putIfSet(o, "topic", stateString(room, "m.room.topic", "topic"));
        putIfSet(o, "canonical_alias", stateString(room, "m.room.canonical_alias", "alias"));
        o.put("num_joined_members", joined);
        putIfSet(o, "avatar_url", stateString(room, "m.room.avatar", "url"));
        o.put("world_readable", "world_readable".equals(history));
        o.put("guest_can_join", "can_join".equals(stateString(room, "m.room.guest_access", "guest_access")));
        o.put("join_rule", joinRule);
        putIfSet(o, "room_type", stateString(room, "m.room.create", "type"));
        return o;
    }

    private static void putIfSet(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    private static String stateString(Room room, String type, String field) {
        Event e = room.state().get(type, "");
        return e == null || !e.content().path(field).isTextual() ? null : e.content().get(field).asText();
    }

    /** {@code room_types}: null stands for a room without a type (Synapse's {@code room_type IS NULL}). */
    private static boolean typeMatches(ObjectNode entry, Query q) {
        if (!q.typesGiven()) {
            return true;
        }
        String type = entry.path("room_type").asText(null);
        return q.roomTypes().contains(type);
    }

    /** SQL's {@code LOWER(x) LIKE LOWER('%term%')}: {@code %} and {@code _} in the term stay wildcards. */
    private static Pattern like(String term) {
        StringBuilder re = new StringBuilder(".*");
        for (char ch : term.toLowerCase(Locale.ROOT).toCharArray()) {
            re.append(ch == '%' ? ".*" : ch == '_' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(re.append(".*").toString(), Pattern.DOTALL);
    }

    private static boolean matches(ObjectNode entry, Pattern like) {
        for (String f : new String[] {"name", "topic", "canonical_alias"}) {
            if (entry.has(f) && like.matcher(entry.get(f).asText().toLowerCase(Locale.ROOT)).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String textOrBadJson(JsonNode v, String name) {
        if (!v.isTextual()) {
            throw MatrixException.badJson("'" + name + "' must be a string");
        }
        return v.asText();
    }

    /** A string {@code SynapseIds.PYTHON_INT} matched, clamped to the int range (Python's ints are unbounded). */
    private static int parsePythonInt(String text) {
        String digits = text.strip().replace("_", "");
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException tooBig) {
            return digits.startsWith("-") ? Integer.MIN_VALUE + 2 : Integer.MAX_VALUE - 2;
        }
    }

    /** Python's {@code int(x)} of a JSON value; what it refuses (Synapse 1.94: 500) is 400 here. */
    private static int pythonInt(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean() ? 1 : 0;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.asInt();
        }
        if (v.isFloatingPointNumber() && Double.isFinite(v.asDouble())
                && Math.abs(v.asDouble()) < Integer.MAX_VALUE) {
            return (int) v.asDouble();
        }
        if (v.isTextual() && SynapseIds.PYTHON_INT.matcher(v.asText()).matches()) {
            return parsePythonInt(v.asText());
        }
        throw MatrixException.badJson("'limit' must be an integer");
    }
}
