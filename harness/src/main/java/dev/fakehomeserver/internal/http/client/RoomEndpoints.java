package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.BodyLimit;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Ids;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.RoomService;
import dev.fakehomeserver.internal.model.Services;
import java.util.ArrayList;
import java.util.List;

/** createRoom, sending, and state: the room endpoints of the core (spec-digest §4.6, §4.9). */
public final class RoomEndpoints {
    private final Services s;
    private final HomeserverModel model;

    private final Relations relations;

    public RoomEndpoints(Services services, Relations relations) {
        this.s = services;
        this.model = services.model();
        this.relations = relations;
    }

    public void register(RouteTable.Builder r) {
        r.client("POST", "/createRoom", AuthMode.REQUIRED, this::createRoom);
        // The body is one event's content: a body above the event limit cannot make an event Synapse would
        // take (413 "event too large" there), so it is refused before it is read.
        BodyLimit event = BodyLimit.event(s.options().maxEventBytes());
        r.client("PUT", "/rooms/{roomId}/send/{eventType}/{txnId}", AuthMode.REQUIRED, event, this::send);
        // Synapse's register_txn_path also routes POST without a txnId: never deduplicated.
        r.client("POST", "/rooms/{roomId}/send/{eventType}", AuthMode.REQUIRED, event, this::send);
        r.client("PUT", "/rooms/{roomId}/state/{eventType}/{stateKey}", AuthMode.REQUIRED, event, this::putState);
        r.client("PUT", "/rooms/{roomId}/state/{eventType}", AuthMode.REQUIRED, event, this::putState);
        r.client("GET", "/rooms/{roomId}/state/{eventType}/{stateKey}", AuthMode.REQUIRED, this::getState);
        r.client("GET", "/rooms/{roomId}/state/{eventType}", AuthMode.REQUIRED, this::getState);
        r.client("GET", "/rooms/{roomId}/state", AuthMode.REQUIRED, this::allState);
    }

    /**
     * Validates in Synapse 1.94's order ({@code RoomCreationHandler.create_room}): room version, alias name,
     * invites, the power-level override's users, then the preset and the name and topic types. Synapse answers
     * 500 on a few malformed fields (an initial_state entry without content, a non-object override or creation
     * content, a non-list invite); the fake answers 400 there, as a correct server does.
     */
    private Object createRoom(Call c) {
        ObjectNode b = c.object();
        String version = CreateRoomChecks.roomVersion(b);
        CreateRoomChecks.aliasName(b);
        List<String> invite = CreateRoomChecks.invites(b);
        ArrayNode initialState = null;
        JsonNode is = b.get("initial_state");
        if (is != null && !is.isNull()) {
            if (!is.isArray()) {
                throw MatrixException.badJson("'initial_state' must be a list");
            }
            for (JsonNode e : is) {
                if (!e.isObject() || !e.path("type").isTextual() || !e.path("content").isObject()) {
                    throw MatrixException.badJson("Each initial_state event needs a type and a content object");
                }
            }
            initialState = (ArrayNode) is;
        }
        ObjectNode plOverride = objectOrNull(b, "power_level_content_override");
        CreateRoomChecks.overrideKeepsCreator(plOverride, c.who().userId());
        ObjectNode creation = objectOrNull(b, "creation_content");
        String preset = CreateRoomChecks.preset(b);
        String name = CreateRoomChecks.stringContent(b, "name");
        String topic = CreateRoomChecks.stringContent(b, "topic");
        // Synapse publishes only on "public"; any other value is a private room (and picks public_chat as the
        // default preset unless it is "private": CreateRoomChecks.preset).
        String visibility = b.path("visibility").isTextual() && b.get("visibility").asText().equals("public")
                ? "public" : "private";
        String roomId = s.rooms().createRoom(c.who(), new RoomService.CreateRoom(preset, visibility,
                name, topic, invite, initialState, c.optString("room_alias_name"),
                c.optBool("is_direct", false), plOverride, creation, version));
        return Json.object().put("room_id", roomId);
    }

    private static ObjectNode objectOrNull(ObjectNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw MatrixException.badJson("'" + field + "' must be an object");
        }
        return (ObjectNode) n;
    }

    /** {@code ?ts=} counts for appservice requests only; other requesters' ts is silently ignored. */
    static Long massagedTs(Call c) {
        Requester r = c.who();
        String ts = c.query("ts");
        if (!r.isAppservice() || ts == null) {
            return null;
        }
        long v;
        try {
            v = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter 'ts' must be an integer");
        }
        if (v < 0) {
            // Current Synapse; 1.94 accepted negative values (golden step ghost-send-ts-negative).
            throw MatrixException.invalidParam("Query parameter 'ts' must be a non-negative integer");
        }
        return v;
    }

    private Object send(Call c) {
        Requester r = c.who();
        ObjectNode content = c.object();
        Long ts = massagedTs(c);
        // Synapse keys appservice transactions on (path, appservice) only, not on the ghost: spec-digest §4.9.
        String key = c.param("txnId") == null ? "send|" + model.ids().nonce() : c.path() + (r.isAppservice() ? "|as|" + r.appserviceId() : "|" + r.userId() + "|" + r.deviceId());
        String eventId = s.rooms().send(r, c.param("roomId"), c.param("eventType"), c.param("txnId"), key, content, ts,
                () -> {
                    ContentChecks.check(model, c.param("roomId"), r.userId(), c.param("eventType"), null, content);
                    relations.validate(c.param("roomId"), r.userId(), c.param("eventType"), content);
                });
        return Json.object().put("event_id", eventId);
    }

    private Object putState(Call c) {
        ObjectNode content = c.object();
        Long ts = massagedTs(c);
        String key = c.param("stateKey") == null ? "" : c.param("stateKey");
        String eventId = model.write(() -> {
            if (model.room(c.param("roomId")) != null) {
                ContentChecks.check(model, c.param("roomId"), c.who().userId(), c.param("eventType"), key, content);
            }
            return s.rooms().setState(c.who(), c.param("roomId"), c.param("eventType"), key, content, ts);
        });
        return Json.object().put("event_id", eventId);
    }

    private Room readableRoom(Call c) {
        Room room = model.room(c.param("roomId"));
        String user = c.who().userId();
        if (room == null || room.state().membership(user) == null) {
            throw MatrixException.forbidden("User " + user + " not in room " + c.param("roomId"));
        }
        return room;
    }

    private Object getState(Call c) {
        return model.read(() -> {
            Room room = readableRoom(c);
            String key = c.param("stateKey") == null ? "" : c.param("stateKey");
            Event e = room.state().get(c.param("eventType"), key);
            if (e == null) {
                throw MatrixException.notFound("Event not found.");
            }
            return e.content().deepCopy();
        });
    }

    private Object allState(Call c) {
        return model.read(() -> {
            Room room = readableRoom(c);
            ArrayNode out = Json.NODES.arrayNode();
            long now = model.now();
            for (Event e : room.state().all()) {
                out.add(EventFormat.client(e, now));
            }
            return out;
        });
    }
}
