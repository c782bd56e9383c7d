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
import dev.fakehomeserver.internal.model.EventFilter;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.TimelineReader;
import dev.fakehomeserver.internal.model.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /search}, the {@code room_events} category, as Synapse 1.94 answers it on SQLite: the searched
 * fields are {@code content.body} of {@code m.room.message}, {@code content.name} of {@code m.room.name} and
 * {@code content.topic} of {@code m.room.topic} ({@code keys} narrows them); each word of the term must be the
 * prefix of a word of the field (case folded); the rooms are those the user is joined to, narrowed by the
 * filter's {@code rooms}/{@code not_rooms} and its other event fields. {@code order_by: recent} pages newest
 * first with {@code next_batch} (Synapse's base64 of {@code "all\n\n<ts>,<stream>"}), present whenever a page
 * is full; {@code rank} (the default) answers one page, best first. {@code highlights} stays empty, as on
 * Synapse with SQLite. Every hit ranks 1.0, so {@code rank} order is oldest first: what Synapse's SQLite
 * rank gives for the one-word terms bridges and bots search with (its value differs; clients only order by it).
 */
public final class SearchEndpoints {
    private static final Map<String, String> DEFAULT_FIELDS = Map.of(
            "content.body", "m.room.message", "content.name", "m.room.name", "content.topic", "m.room.topic");
    private final HomeserverModel model;

    public SearchEndpoints(HomeserverModel model) {
        this.model = model;
    }

    public void register(RouteTable.Builder r) {
        r.client("POST", "/search", AuthMode.REQUIRED, this::search);
    }

    private record Hit(Event event, double rank) {}

    /** Where a recent-ordered page ends: events strictly older than (ts, stream) come next. */
    private record Batch(long ts, long stream) {}

    private static Batch batch(String token) {
        if (token == null) {
            return null;
        }
        try {
            String s = new String(Base64.getDecoder().decode(token + "=".repeat((4 - token.length() % 4) % 4)),
                    StandardCharsets.US_ASCII);
            String[] parts = s.split("\n", -1);
            String[] pos = parts[2].split(",");
            return new Batch(Long.parseLong(pos[0]), Long.parseLong(pos[1]));
        } catch (RuntimeException e) {
            throw MatrixException.unknown(400, "Invalid batch");
        }
    }

    private static String token(Event e) {
        return Base64.getEncoder().withoutPadding().encodeToString(
                ("all\n\n" + e.originServerTs() + "," + e.stream()).getBytes(StandardCharsets.US_ASCII));
    }

    private Object search(Call c) {
        Batch batch = batch(c.query("next_batch"));
        ObjectNode b = c.object();
        JsonNode cats = b.get("search_categories");
        JsonNode roomCat = cats == null ? null : cats.get("room_events");
        if (cats != null && !cats.isObject() || roomCat != null && !roomCat.isObject()) {
            // Synapse 1.94: 500 (a TypeError on the malformed category); a correct server refuses the body.
            throw MatrixException.unknown(400, "Invalid search query");
        }
        if (roomCat == null || !roomCat.has("search_term")) {
            throw MatrixException.unknown(400, "Invalid search query");
        }
        JsonNode termNode = roomCat.get("search_term");
        if (!termNode.isTextual()) {
            // Synapse 1.94: 500; a correct server refuses the body.
            throw MatrixException.badJson("search_term must be a string");
        }
        String orderBy = roomCat.path("order_by").asText("rank");
        if (roomCat.has("order_by") && !roomCat.get("order_by").isTextual()
                || !orderBy.equals("rank") && !orderBy.equals("recent")) {
            throw MatrixException.unknown(400, "Invalid order by: '" + roomCat.get("order_by").asText() + "'");
        }
        Map<String, String> fields = fields(roomCat.get("keys"));
        JsonNode filterNode = roomCat.get("filter");
        EventFilter filter = filterNode == null || filterNode.isNull() ? EventFilter.ALL
                : EventFilter.parse(filterNode.toString());
        int limit = filter.limit() == null ? 10 : filter.limit();
        List<String> words = UserDirectoryEndpoints.words(termNode.asText());
        String user = c.who().userId();
        return model.read(() -> {
            List<Hit> hits = new ArrayList<>();
            Set<String> rooms = model.joinedRooms(user);
            for (String roomId : rooms) {
                if (!roomAllowed(filterNode, roomId)) {
                    continue;
                }
                for (Event e : model.room(roomId).timeline()) {
                    double rank = words.isEmpty() ? 0 : rank(e, fields, words);
                    if (rank > 0 && filter.matches(e)) {
                        hits.add(new Hit(e, rank));
                    }
                }
            }
            int count = hits.size();
            boolean recent = orderBy.equals("recent");
            if (recent) {
                hits.sort(Comparator.comparingLong((Hit h) -> h.event().originServerTs())
                        .thenComparingLong(h -> h.event().stream()).reversed());
                if (batch != null) {
                    hits.removeIf(h -> h.event().originServerTs() > batch.ts()
                            || h.event().originServerTs() == batch.ts() && h.event().stream() >= batch.stream());
                }
            } else {
                hits.sort(Comparator.comparingDouble((Hit h) -> -h.rank()).thenComparingLong(h -> h.event().stream()));
            }
            List<Hit> page = hits.subList(0, Math.min(limit, hits.size()));
            return answer(roomCat, page, count, recent && !page.isEmpty() && page.size() >= limit, user);
        });
    }

    private static boolean roomAllowed(JsonNode filter, String roomId) {
        if (filter == null || !filter.isObject()) {
            return true;
        }
        JsonNode rooms = filter.get("rooms");
        JsonNode notRooms = filter.get("not_rooms");
        if (notRooms != null && notRooms.isArray()) {
            for (JsonNode n : notRooms) {
                if (roomId.equals(n.asText())) {
                    return false;
                }
            }
        }
        if (rooms == null || !rooms.isArray()) {
            return true;
        }
        for (JsonNode n : rooms) {
            if (roomId.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The searched fields: {@code keys} when a list (Synapse iterates a string as characters: nothing). */
    private static Map<String, String> fields(JsonNode keys) {
        if (keys == null) {
            return DEFAULT_FIELDS;
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (keys.isArray()) {
            for (JsonNode k : keys) {
                String type = DEFAULT_FIELDS.get(k.asText());
                if (type != null) {
                    out.put(k.asText(), type);
                }
            }
        }
        return out;
    }

    private static double rank(Event e, Map<String, String> fields, List<String> words) {
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (!f.getValue().equals(e.type())) {
                continue;
            }
            JsonNode v = e.content().get(f.getKey().substring("content.".length()));
            if (v == null || !v.isTextual()) {
                continue;
            }
            List<String> tokens = UserDirectoryEndpoints.words(v.asText());
            if (words.stream().allMatch(w -> tokens.stream().anyMatch(t -> t.startsWith(w)))) {
                return 1.0;
            }
        }
        return 0;
    }

    private ObjectNode answer(JsonNode roomCat, List<Hit> page, int count, boolean full, String user) {
        long now = model.now();
        JsonNode ctxReq = roomCat.get("event_context");
        ObjectNode events = Json.object();
        ArrayNode results = events.putArray("results");
        Map<String, ObjectNode> byRoom = new LinkedHashMap<>();
        Map<String, ObjectNode> bySender = new LinkedHashMap<>();
        for (Hit h : page) {
            Event e = h.event();
            ObjectNode row = results.addObject();
            row.put("rank", h.rank());
            row.set("result", EventFormat.appserviceV1(e, now));
            row.set("context", ctxReq != null && ctxReq.isObject() ? context(e, ctxReq, user, now) : Json.object());
            byRoom.computeIfAbsent(e.roomId(), k -> Json.object().put("order", h.rank())).withArray("results")
                    .add(e.eventId());
            bySender.computeIfAbsent(e.sender(), k -> Json.object().put("order", h.rank())).withArray("results")
                    .add(e.eventId());
        }
        events.put("count", count);
        events.putArray("highlights");
        if (roomCat.path("include_state").asBoolean(false)) {
            ObjectNode state = events.putObject("state");
            for (String roomId : byRoom.keySet()) {
                ArrayNode list = state.putArray(roomId);
                model.room(roomId).state().all().forEach(s -> list.add(EventFormat.appserviceV1(s, now)));
            }
        }
        JsonNode groupBy = roomCat.path("groupings").path("group_by");
        if (groupBy.isArray() && !groupBy.isEmpty()) {
            ObjectNode groups = events.putObject("groups");
            for (JsonNode g : groupBy) {
                String key = g.path("key").asText();
                if (key.equals("room_id")) {
                    groups.set("room_id", Json.object().setAll(byRoom));
                } else if (key.equals("sender")) {
                    groups.set("sender", Json.object().setAll(bySender));
                }
            }
        }
        if (full) {
            events.put("next_batch", token(page.get(page.size() - 1).event()));
        }
        ObjectNode o = Json.object();
        o.putObject("search_categories").set("room_events", events);
        return o;
    }

    /** Synapse's search context: up to before_limit/after_limit (5) events around, and the senders' profiles. */
    private ObjectNode context(Event e, JsonNode req, String user, long now) {
        int before = req.path("before_limit").asInt(5);
        int after = req.path("after_limit").asInt(5);
        Room room = model.room(e.roomId());
        List<Event> tl = room.timeline();
        int at = tl.indexOf(e);
        ObjectNode ctx = Json.object();
        ArrayNode b = ctx.putArray("events_before");
        for (int i = at - 1; i >= 0 && at - i <= before; i--) {
            b.add(EventFormat.appserviceV1(tl.get(i), now));
        }
        ArrayNode a = ctx.putArray("events_after");
        for (int i = at + 1; i < tl.size() && i - at <= after; i++) {
            a.add(EventFormat.appserviceV1(tl.get(i), now));
        }
        ctx.put("start", TimelineReader.token(Math.max(0, at - before) < at ? tl.get(Math.max(0, at - before)).stream() - 1
                : e.stream() - 1));
        ctx.put("end", TimelineReader.token(tl.get(Math.min(tl.size() - 1, at + after)).stream()));
        if (req.path("include_profile").asBoolean(false)) {
            ObjectNode profiles = ctx.putObject("profile_info");
            for (Event x : List.of(e)) {
                User u = model.user(x.sender());
                ObjectNode p = profiles.putObject(x.sender());
                p.put("displayname", u == null ? null : u.displayname());
                p.put("avatar_url", u == null ? null : u.avatarUrl());
            }
        }
        return ctx;
    }
}
