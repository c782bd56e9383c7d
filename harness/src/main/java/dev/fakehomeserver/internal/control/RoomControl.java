package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.HomeserverCore;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventDraft;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.RoomService;
import java.util.ArrayList;
import java.util.List;

/**
 * Rooms seen and changed by the test: create a room as a user, inject any event as any user, read rooms, their
 * timeline and their state. Everything goes through {@link RoomService} and so through the one append path:
 * the auth rules apply, and appservices are pushed injected events like any other.
 */
final class RoomControl {
    private final HomeserverCore core;

    RoomControl(HomeserverCore core) {
        this.core = core;
    }

    void register(RouteTable.Builder r) {
        String rooms = ControlApiRoutes.V1 + "/rooms";
        r.add("POST", rooms, AuthMode.REQUIRED, this::create);
        r.add("GET", rooms, AuthMode.REQUIRED, this::list);
        r.add("GET", rooms + "/{roomId}", AuthMode.REQUIRED, this::get);
        r.add("GET", rooms + "/{roomId}/timeline", AuthMode.REQUIRED, this::timeline);
        r.add("GET", rooms + "/{roomId}/state", AuthMode.REQUIRED, this::state);
        r.add("POST", rooms + "/{roomId}/events", AuthMode.REQUIRED, this::inject);
    }

    /**
     * {@code {"creator": "@alice:test", "name", "topic", "alias": "paris" | "#paris:test", "preset",
     * "visibility", "members": ["@bob:test"]}}. Unknown users are created first; members are invited (unless
     * the room is public) and joined, each through the membership rules.
     */
    private Object create(Call call) {
        String creator = call.string("creator");
        UserControl.checkUserId(creator);
        List<String> members = stringList(call.object().get("members"), "members");
        HomeserverModel model = core.model();
        RoomService rooms = core.services().rooms();
        synchronized (model) {
            core.services().accounts().ensureUser(creator, null);
            members.forEach(m -> {
                UserControl.checkUserId(m);
                core.services().accounts().ensureUser(m, null);
            });
            String roomId = rooms.createRoom(new Requester(creator, null, null), new RoomService.CreateRoom(
                    call.optString("preset"), call.optString("visibility"), call.optString("name"),
                    call.optString("topic"), null, null, aliasLocalpart(call.optString("alias")), false, null, null,
                    null));
            for (String m : members) {
                Room room = model.room(roomId);
                String current = room.state.membership(m);
                if ("join".equals(current)) {
                    continue;
                }
                if (!"public".equals(room.state.joinRule()) && !"invite".equals(current)) {
                    rooms.appendMembership(roomId, creator, m, rooms.memberContent(m, "invite", null));
                }
                rooms.join(new Requester(m, null, null), roomId);
            }
            return describe(model.room(roomId));
        }
    }

    /** {@code "paris"} or {@code "#paris:<this server>"} become the localpart createRoom takes. */
    private String aliasLocalpart(String alias) {
        if (alias == null || !alias.startsWith("#")) {
            return alias;
        }
        String suffix = ":" + core.model().serverName();
        if (!alias.endsWith(suffix)) {
            throw MatrixException.invalidParam("A room alias must be on this server (" + suffix + "): " + alias);
        }
        return alias.substring(1, alias.length() - suffix.length());
    }

    /**
     * {@code {"sender", "type", "content", "state_key"?, "ts"?}}: appends the event as that user. A state key
     * makes it a state event; membership changes go through the membership path (invites carry stripped state),
     * which takes no {@code ts}: there it is refused rather than silently dropped.
     */
    private Object inject(Call call) {
        String roomId = call.param("roomId");
        String sender = call.string("sender");
        UserControl.checkUserId(sender);
        String type = call.string("type");
        JsonNode content = call.object().get("content");
        if (content == null || !content.isObject()) {
            throw MatrixException.badJson("'content' must be a JSON object");
        }
        String stateKey = call.optString("state_key");
        JsonNode tsNode = call.object().get("ts");
        if (tsNode != null && !tsNode.isIntegralNumber()) {
            throw MatrixException.badJson("'ts' must be an integer (milliseconds since the epoch)");
        }
        Long ts = tsNode == null ? null : tsNode.asLong();
        boolean membership = "m.room.member".equals(type) && stateKey != null;
        if (membership && ts != null) {
            throw MatrixException.invalidParam("'ts' is not supported on m.room.member events");
        }
        HomeserverModel model = core.model();
        synchronized (model) {
            room(roomId);
            core.services().accounts().ensureUser(sender, null);
            ObjectNode c = (ObjectNode) content.deepCopy();
            Event e;
            if (membership) {
                e = core.services().rooms().appendMembership(roomId, sender, stateKey, c);
            } else {
                EventDraft d = stateKey == null ? EventDraft.message(roomId, sender, type, c)
                        : EventDraft.state(roomId, sender, type, stateKey, c);
                e = model.appender().append(d.withTs(ts));
            }
            return Json.object().put("event_id", e.eventId());
        }
    }

    private Object list(Call call) {
        HomeserverModel model = core.model();
        synchronized (model) {
            ArrayNode out = Json.NODES.arrayNode();
            model.rooms().forEach(r -> out.add(describe(r)));
            ObjectNode o = Json.object();
            o.set("rooms", out);
            return o;
        }
    }

    private Object get(Call call) {
        synchronized (core.model()) {
            Room room = room(call.param("roomId"));
            ObjectNode o = describe(room);
            ObjectNode members = o.putObject("members");
            for (Event m : room.state.ofType("m.room.member")) {
                members.put(m.stateKey(), m.membership());
            }
            ArrayNode aliases = o.putArray("aliases");
            room.aliases.forEach(aliases::add);
            o.put("directory_visibility", room.directoryVisibility);
            o.put("event_count", room.timeline.size());
            return o;
        }
    }

    /** The timeline oldest first; {@code ?limit=N} keeps the last N events. */
    private Object timeline(Call call) {
        int limit = intQuery(call, "limit", Integer.MAX_VALUE);
        HomeserverModel model = core.model();
        synchronized (model) {
            List<Event> tl = room(call.param("roomId")).timeline;
            List<Event> last = new ArrayList<>(tl.subList(Math.max(0, tl.size() - limit), tl.size()));
            return events(last, model.now());
        }
    }

    private Object state(Call call) {
        HomeserverModel model = core.model();
        synchronized (model) {
            return events(room(call.param("roomId")).state.all(), model.now());
        }
    }

    private static ObjectNode events(java.util.Collection<Event> events, long now) {
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("events");
        events.forEach(e -> list.add(EventFormat.client(e, now)));
        return o;
    }

    private static ObjectNode describe(Room r) {
        ObjectNode o = Json.object();
        o.put("room_id", r.roomId);
        o.put("room_version", r.version);
        Event create = r.state.get("m.room.create", "");
        o.put("creator", create == null ? null : create.sender());
        Event name = r.state.get("m.room.name", "");
        o.put("name", name == null ? null : name.content().path("name").asText(null));
        Event topic = r.state.get("m.room.topic", "");
        o.put("topic", topic == null ? null : topic.content().path("topic").asText(null));
        Event alias = r.state.get("m.room.canonical_alias", "");
        o.put("canonical_alias", alias == null ? null : alias.content().path("alias").asText(null));
        o.put("join_rule", r.state.joinRule());
        ArrayNode joined = o.putArray("joined");
        r.state.joined().forEach(joined::add);
        return o;
    }

    private Room room(String roomId) {
        Room room = core.model().room(roomId);
        if (room == null) {
            throw MatrixException.notFound("Unknown room " + roomId);
        }
        return room;
    }

    private static List<String> stringList(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw MatrixException.badJson("'" + field + "' must be a list of user ids");
        }
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw MatrixException.badJson("'" + field + "' must be a list of user ids");
            }
            out.add(n.asText());
        }
        return out;
    }

    static int intQuery(Call call, String name, int dflt) {
        String v = call.query(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("'" + name + "' must be a non-negative integer");
        }
    }
}
