package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.http.client.QueryParams;
import dev.fakehomeserver.internal.base.ClientEventJson;
import dev.fakehomeserver.view.EventView;
import dev.fakehomeserver.view.RoomView;
import dev.fakehomeserver.expect.Expectations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rooms seen and changed by the test: create a room as a user, inject any event as any user, read rooms, their
 * timeline and their state. Each is the facade's {@code hs.user(..).createRoom/sendContent/setState/membership}
 * or a {@link RoomView}, so the auth rules apply, appservices are pushed injected events like any other, and a
 * ghost may create a room under its appservice's alias namespace here as in process.
 */
final class RoomControl {
    private final Homeserver hs;

    RoomControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        String rooms = ControlApiRoutes.V1 + "/rooms";
        r.add("POST", rooms, AuthMode.REQUIRED, Fields.only(this::create, "creator", "name", "topic", "alias",
                "preset", "visibility", "members", "invite", "is_direct"));
        r.add("GET", rooms, AuthMode.REQUIRED, this::list);
        r.add("GET", rooms + "/{roomId}", AuthMode.REQUIRED, this::get);
        r.add("GET", rooms + "/{roomId}/timeline", AuthMode.REQUIRED, this::timeline);
        r.add("GET", rooms + "/{roomId}/state", AuthMode.REQUIRED, this::state);
        r.add("POST", rooms + "/{roomId}/events", AuthMode.REQUIRED, Fields.only(this::inject, "sender", "type",
                "content", "state_key", "ts"));
    }

    /**
     * {@code {"creator": "@alice:test", "name", "topic", "alias": "paris" | "#paris:test", "preset",
     * "visibility", "members": ["@bob:test"], "invite": ["@carol:test"], "is_direct"}}:
     * {@code hs.user(creator).createRoom(..)} with those options, members as {@link RoomOptions#members} (invited
     * and joined), invitees as {@link RoomOptions#invite} (invited only), {@code is_direct} as
     * {@link RoomOptions#direct}.
     */
    private Object create(Call call) {
        String creator = call.string("creator");
        List<String> members = stringList(call.object().get("members"), "members");
        List<String> invite = stringList(call.object().get("invite"), "invite");
        RoomOptions o = RoomOptions.create().publish("public".equals(call.optString("visibility")))
                .members(members.toArray(String[]::new)).invite(invite.toArray(String[]::new))
                .direct(call.optBool("is_direct", false));
        String preset = call.optString("preset");
        o = preset == null ? o : o.preset(preset);
        String name = call.optString("name");
        o = name == null ? o : o.name(name);
        String topic = call.optString("topic");
        o = topic == null ? o : o.topic(topic);
        String alias = aliasLocalpart(call.optString("alias"));
        RoomOptions options = alias == null ? o : o.alias(alias);
        String roomId = FacadeCalls.call(() -> hs.user(creator).createRoom(options));
        return describe(hs.room(roomId));
    }

    /** {@code "paris"} or {@code "#paris:<this server>"} become the localpart createRoom takes. */
    private String aliasLocalpart(String alias) {
        if (alias == null || !alias.startsWith("#")) {
            return alias;
        }
        String suffix = ":" + hs.serverName();
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
    @SuppressWarnings("unchecked")
    private Object inject(Call call) {
        String roomId = call.param("roomId");
        String sender = call.string("sender");
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
        boolean membership = "m.room.member".equals(type) && stateKey != null;
        if (membership && tsNode != null) {
            throw MatrixException.invalidParam("'ts' is not supported on m.room.member events");
        }
        if (!hs.hasRoom(roomId)) {
            throw MatrixException.notFound("Unknown room " + roomId);
        }
        Map<String, Object> c = Json.MAPPER.convertValue(content, Map.class);
        String eventId = FacadeCalls.call(() -> {
            Actor user = tsNode == null ? hs.user(sender) : hs.user(sender).at(tsNode.asLong());
            if (membership) {
                return user.membership(roomId, stateKey, c);
            }
            return stateKey == null ? user.sendContent(roomId, type, c) : user.setState(roomId, type, stateKey, c);
        });
        return Json.object().put("event_id", eventId);
    }

    private Object list(Call call) {
        ArrayNode out = Json.NODES.arrayNode();
        hs.rooms().forEach(r -> out.add(describe(r)));
        ObjectNode o = Json.object();
        o.set("rooms", out);
        return o;
    }

    private Object get(Call call) {
        RoomView room = room(call.param("roomId"));
        ObjectNode o = describe(room);
        ObjectNode members = o.putObject("members");
        room.memberships().forEach(members::put);
        ArrayNode aliases = o.putArray("aliases");
        room.aliases().forEach(aliases::add);
        o.put("directory_visibility", room.published() ? "public" : "private");
        o.put("event_count", room.timeline().size());
        return o;
    }

    /**
     * The timeline oldest first; {@code ?limit=N} keeps the last N events. {@code ?wait_ms=N&sender=S&body=B}
     * answers once the room has a message from S with body B ({@code body} alone: from anyone), else 408 with
     * the failure message of {@code TimelineAssert.containsMessageFrom} ({@link Waits}).
     */
    private Object timeline(Call call) {
        int limit = QueryParams.nonNegativeInt(call, "limit", Integer.MAX_VALUE);
        String ref = call.param("roomId");
        Duration wait = Waits.of(call);
        String sender = call.query("sender");
        String body = call.query("body");
        if (wait == null) {
            if (sender != null || body != null) {
                throw Waits.needsWait("'sender' and 'body'");
            }
            return lastEvents(room(ref), limit);
        }
        String b = Waits.required(call, "body", "(the message body to wait for)");
        Expectations expect = Expectations.of(hs);
        return Waits.until(hs, wait, sender == null ? expect.timelineContainsMessage(ref, b)
                : expect.timelineContainsMessageFrom(ref, sender, b), () -> lastEvents(room(ref), limit));
    }

    private ObjectNode lastEvents(RoomView room, int limit) {
        List<EventView> tl = room.timeline();
        return events(tl.subList(Math.max(0, tl.size() - limit), tl.size()));
    }

    private Object state(Call call) {
        return events(room(call.param("roomId")).state());
    }

    private ObjectNode events(List<EventView> events) {
        long now = hs.clock().millis();
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("events");
        events.forEach(e -> list.add(clientFormat(e, now)));
        return o;
    }

    /** The client event format, from the one place events become JSON. */
    private static ObjectNode clientFormat(EventView e, long now) {
        ObjectNode unsigned = Json.object().put("age", Math.max(0, now - e.originServerTs()));
        unsigned.setAll((ObjectNode) Json.MAPPER.valueToTree(e.unsigned()));
        return ClientEventJson.of(e.eventId(), e.roomId(), e.type(), e.sender(), e.stateKey(),
                Json.MAPPER.valueToTree(e.content()), e.originServerTs(), unsigned);
    }

    private static ObjectNode describe(RoomView r) {
        ObjectNode o = Json.object();
        o.put("room_id", r.roomId());
        o.put("room_version", r.version());
        o.put("creator", r.creator());
        o.put("name", r.name());
        o.put("topic", r.topic());
        o.put("canonical_alias", r.canonicalAlias());
        o.put("join_rule", r.joinRule());
        ArrayNode joined = o.putArray("joined");
        r.memberships().forEach((user, m) -> {
            if ("join".equals(m)) {
                joined.add(user);
            }
        });
        return o;
    }

    private RoomView room(String roomId) {
        return hs.findRoom(roomId).orElseThrow(() -> MatrixException.notFound("Unknown room " + roomId));
    }

    static List<String> stringList(JsonNode node, String field) {
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
}
