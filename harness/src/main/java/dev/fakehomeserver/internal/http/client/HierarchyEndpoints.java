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
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Ids;
import dev.fakehomeserver.internal.model.Room;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/rooms/{roomId}/hierarchy}: the space tree as Synapse 1.94's {@code RoomSummaryHandler} walks it
 * (depth first, children in {@code order}, then {@code origin_server_ts} order, at most 50 rooms a page), local
 * rooms only (the fake has no federation: a child it does not know is left out, as Synapse leaves out a remote
 * room it cannot reach). {@code next_batch} names a pagination session, kept in memory: at most
 * {@link #MAX_SESSIONS}, the oldest dropped first (Synapse expires them after 5 minutes).
 */
public final class HierarchyEndpoints {
    static final int MAX_ROOMS = 50;
    static final int MAX_SESSIONS = 256;
    private final HomeserverModel model;

    private record QueueEntry(String roomId, int depth) {}

    private record Session(String requester, String roomId, boolean suggestedOnly, Integer maxDepth,
                           List<QueueEntry> queue, Set<String> processed) {}

    /** Guarded by the model's lock (read under {@code model.read}). */
    private final Map<String, Session> sessions = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    public HierarchyEndpoints(HomeserverModel model) {
        this.model = model;
    }

    public void register(RouteTable.Builder r) {
        r.add("GET", "/_matrix/client/v1/rooms/{roomId}/hierarchy", AuthMode.REQUIRED, this::hierarchy);
    }

    private static Integer optionalInt(Call c, String name) {
        String v = c.query(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter '" + name + "' must be an integer");
        }
    }

    private Object hierarchy(Call c) {
        String user = c.who().userId();
        Integer maxDepth = optionalInt(c, "max_depth");
        if (maxDepth != null && maxDepth < 0) {
            throw MatrixException.badJson("'max_depth' must be a non-negative integer");
        }
        Integer limitParam = optionalInt(c, "limit");
        if (limitParam != null && limitParam <= 0) {
            throw MatrixException.badJson("'limit' must be a positive integer");
        }
        String sugg = c.query("suggested_only");
        if (sugg != null && !sugg.equals("true") && !sugg.equals("false")) {
            throw MatrixException.invalidParam("Boolean query parameter 'suggested_only' must be one of ['true', 'false']");
        }
        boolean suggestedOnly = "true".equals(sugg);
        int limit = limitParam == null ? MAX_ROOMS : Math.min(limitParam, MAX_ROOMS);
        String from = c.query("from");
        String rootId = c.param("roomId");
        return model.write(() -> {
            if (!accessible(model.room(rootId), user)) {
                throw MatrixException.forbidden("User " + user + " not in room " + rootId
                        + ", and room previews are disabled");
            }
            List<QueueEntry> queue;
            Set<String> processed;
            if (from != null) {
                Session s = sessions.get(from);
                if (s == null || !s.requester().equals(user) || !s.roomId().equals(rootId)
                        || s.suggestedOnly() != suggestedOnly || !java.util.Objects.equals(s.maxDepth(), maxDepth)) {
                    throw MatrixException.invalidParam("Unknown pagination token");
                }
                queue = new ArrayList<>(s.queue());
                processed = new HashSet<>(s.processed());
            } else {
                queue = new ArrayList<>(List.of(new QueueEntry(rootId, 0)));
                processed = new HashSet<>();
            }
            ArrayNode rooms = Json.NODES.arrayNode();
            while (!queue.isEmpty() && rooms.size() < limit) {
                QueueEntry next = queue.remove(queue.size() - 1);
                if (!processed.add(next.roomId())) {
                    continue;
                }
                Room room = model.room(next.roomId());
                if (!accessible(room, user)) {
                    continue;
                }
                List<Event> children = children(room, suggestedOnly);
                ObjectNode entry = entry(room);
                ArrayNode childrenState = entry.putArray("children_state");
                for (Event e : children) {
                    childrenState.add(EventFormat.stripped(e).put("origin_server_ts", e.originServerTs()));
                }
                rooms.add(entry);
                if (maxDepth == null || next.depth() < maxDepth) {
                    for (int i = children.size() - 1; i >= 0; i--) {
                        queue.add(new QueueEntry(children.get(i).stateKey(), next.depth() + 1));
                    }
                }
            }
            ObjectNode o = Json.object();
            o.set("rooms", rooms);
            if (!queue.isEmpty()) {
                String token = model.ids().opaque();
                sessions.put(token, new Session(user, rootId, suggestedOnly, maxDepth, List.copyOf(queue),
                        Set.copyOf(processed)));
                o.put("next_batch", token);
            }
            return o;
        });
    }

    /**
     * Synapse's {@code _is_local_room_accessible}: a public (or knockable) room, a world-readable one, or one
     * the user is joined to or invited to.
     */
    private static boolean accessible(Room room, String user) {
        if (room == null) {
            return false;
        }
        String rule = room.state().joinRule();
        if ("public".equals(rule) || "knock".equals(rule) || "knock_restricted".equals(rule)
                || RoomAccess.worldReadable(room)) {
            return true;
        }
        String m = room.state().membership(user);
        return "join".equals(m) || "invite".equals(m);
    }

    /** The summary fields Synapse's room stats give, null ones left out. */
    private static ObjectNode entry(Room room) {
        ObjectNode o = Json.object();
        o.put("room_id", room.roomId());
        putIfText(o, "name", room, "m.room.name", "name");
        putIfText(o, "topic", room, "m.room.topic", "topic");
        putIfText(o, "canonical_alias", room, "m.room.canonical_alias", "alias");
        o.put("num_joined_members", room.state().joined().size());
        putIfText(o, "avatar_url", room, "m.room.avatar", "url");
        o.put("join_rule", room.state().joinRule());
        o.put("world_readable", RoomAccess.worldReadable(room));
        Event guest = room.state().get("m.room.guest_access", "");
        o.put("guest_can_join", guest != null && "can_join".equals(guest.content().path("guest_access").asText()));
        putIfText(o, "room_type", room, "m.room.create", "type");
        return o;
    }

    private static void putIfText(ObjectNode o, String key, Room room, String type, String field) {
        Event e = room.state().get(type, "");
        if (e != null && e.content().path(field).isTextual()) {
            o.put(key, e.content().get(field).asText());
        }
    }

    /** A space's valid {@code m.space.child} events, sorted as Synapse's {@code _child_events_comparison_key}. */
    private static List<Event> children(Room room, boolean suggestedOnly) {
        Event create = room.state().get("m.room.create", "");
        if (create == null || !"m.space".equals(create.content().path("type").asText(null))) {
            return List.of();
        }
        List<Event> out = new ArrayList<>();
        for (Event e : room.state().ofType("m.space.child")) {
            if (validVia(e.content().get("via"))
                    && (!suggestedOnly || e.content().path("suggested").asBoolean(false)
                    && e.content().path("suggested").isBoolean())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing((Event e) -> order(e) == null)
                .thenComparing(e -> order(e) == null ? "" : order(e))
                .thenComparingLong(Event::originServerTs));
        return out;
    }

    private static boolean validVia(JsonNode via) {
        if (via == null || !via.isArray() || via.isEmpty()) {
            return false;
        }
        for (JsonNode v : via) {
            if (!v.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String order(Event e) {
        JsonNode o = e.content().get("order");
        if (o == null || !o.isTextual() || o.asText().length() > 50
                || o.asText().chars().anyMatch(ch -> ch < 0x20 || ch > 0x7E)) {
            return null;
        }
        return o.asText();
    }
}
