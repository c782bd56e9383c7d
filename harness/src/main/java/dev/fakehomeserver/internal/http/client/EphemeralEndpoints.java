package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Ephemeral;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.User;
import java.util.List;
import java.util.Set;

/**
 * Typing, receipts, read markers and presence: the client side of the ephemeral streams that reach appservices
 * as EDUs (spec-digest §3.3). Errors follow Synapse's {@code RoomTypingRestServlet}, {@code ReceiptRestServlet},
 * {@code ReadMarkerRestServlet} and {@code PresenceStatusRestServlet}.
 */
public final class EphemeralEndpoints {
    private static final List<String> RECEIPT_TYPES = List.of("m.read", "m.read.private", "m.fully_read");
    private static final Set<String> PRESENCE_STATES = Set.of("online", "offline", "unavailable");
    private final HomeserverModel model;
    private final Ephemeral ephemeral;

    public EphemeralEndpoints(Services services) {
        this.model = services.model();
        this.ephemeral = model.ephemeral();
    }

    public void register(RouteTable.Builder r) {
        r.client("PUT", "/rooms/{roomId}/typing/{userId}", AuthMode.REQUIRED, this::typing);
        r.client("POST", "/rooms/{roomId}/receipt/{receiptType}/{eventId}", AuthMode.REQUIRED, this::receipt);
        r.client("POST", "/rooms/{roomId}/read_markers", AuthMode.REQUIRED, this::readMarkers);
        r.client("GET", "/presence/{userId}/status", AuthMode.REQUIRED, this::getPresence);
        r.client("PUT", "/presence/{userId}/status", AuthMode.REQUIRED, this::putPresence);
    }

    private Object typing(Call c) {
        Requester r = c.who();
        String target = c.param("userId");
        ObjectNode body = c.object();
        JsonNode typing = body.get("typing");
        if (typing == null || !typing.isBoolean() && !typing.isNull()) {
            // Synapse answers a missing "typing" with a 500 (KeyError); a Matrix error is kinder and as clear.
            throw MatrixException.badJson("'typing' must be a boolean");
        }
        JsonNode timeout = body.get("timeout");
        if (timeout != null && !timeout.isIntegralNumber()) {
            throw MatrixException.badJson("'timeout' must be an integer");
        }
        if (!model.isMine(target)) {
            throw MatrixException.unknown(400, "User is not hosted on this homeserver");
        }
        if (!target.equals(r.userId())) {
            // Synapse's AuthError(400, ...): a 400 with M_FORBIDDEN (golden step typing-other).
            throw MatrixException.forbidden400("Cannot set typing state for another user");
        }
        model.write(() -> {
            requireJoined(c.param("roomId"), r.userId());
            // Synapse tests `if content["typing"]:`, so null means stopped (ement sends it after each message).
            ephemeral.setTyping(c.param("roomId"), r.userId(), typing.asBoolean(false),
                    timeout == null ? 30_000 : timeout.asLong());
        });
        return Json.object();
    }

    private Object receipt(Call c) {
        Requester r = c.who();
        String type = c.param("receiptType");
        if (!RECEIPT_TYPES.contains(type)) {
            throw MatrixException.invalidParam("Receipt type must be " + String.join(", ", RECEIPT_TYPES));
        }
        ObjectNode body = c.object();
        String threadId = null;
        if (body.has("thread_id")) {
            JsonNode t = body.get("thread_id");
            if (!t.isTextual() || t.asText().isBlank()) {
                throw MatrixException.invalidParam("thread_id field must be a non-empty string");
            }
            if (type.equals("m.fully_read")) {
                throw MatrixException.invalidParam("thread_id is not compatible with m.fully_read receipts");
            }
            threadId = t.asText();
        }
        mark(c.param("roomId"), r.userId(), type, c.param("eventId"), threadId);
        return Json.object();
    }

    private Object readMarkers(Call c) {
        Requester r = c.who();
        ObjectNode body = c.object();
        model.write(() -> {
            requireJoined(c.param("roomId"), r.userId());
            for (String type : RECEIPT_TYPES) {
                JsonNode v = body.get(type);
                if (v != null && !v.isNull() && !v.isTextual()) {
                    throw MatrixException.invalidParam("'" + type + "' must be an event id");
                }
            }
            for (String type : RECEIPT_TYPES) {
                JsonNode v = body.get(type);
                if (v != null && v.isTextual()) {
                    mark(c.param("roomId"), r.userId(), type, v.asText(), null);
                }
            }
        });
        return Json.object();
    }

    /**
     * One receipt or read marker. {@code m.fully_read} is not a receipt: it is the room account data of that
     * type, as in Synapse's {@code ReadMarkerHandler}. Stricter than Synapse, which stores receipts for events it
     * has not seen: an event unknown in this room is 404 here, to catch bridges sending the wrong id.
     */
    private void mark(String roomId, String userId, String type, String eventId, String threadId) {
        model.write(() -> {
            requireJoined(roomId, userId);
            Event e = model.event(eventId);
            if (e == null || !e.roomId().equals(roomId)) {
                throw MatrixException.notFound("Could not find event " + eventId);
            }
            if (type.equals("m.fully_read")) {
                User u = model.user(userId);
                if (u != null) {
                    u.putRoomAccountData(roomId, "m.fully_read", Json.object().put("event_id", eventId));
                    model.signal().bump();
                }
                return;
            }
            ephemeral.putReceipt(roomId, userId, type, eventId, threadId);
        });
    }

    private void requireJoined(String roomId, String userId) {
        Room room = model.room(roomId);
        if (room == null || !"join".equals(room.state().membership(userId))) {
            throw MatrixException.forbidden("User " + userId + " not in room " + roomId);
        }
    }

    private Object getPresence(Call c) {
        Requester r = c.who();
        String target = c.param("userId");
        return model.read(() -> {
            if (!target.equals(r.userId()) && !sharesRoom(r.userId(), target)) {
                throw MatrixException.forbidden("You are not allowed to see their presence.");
            }
            return ephemeral.presenceContent(ephemeral.presence(target));
        });
    }

    private boolean sharesRoom(String a, String b) {
        for (String roomId : model.joinedRooms(a)) {
            Room room = model.room(roomId);
            if (room != null && room.state().joined().contains(b)) {
                return true;
            }
        }
        return false;
    }

    private Object putPresence(Call c) {
        Requester r = c.who();
        if (!c.param("userId").equals(r.userId())) {
            throw MatrixException.forbidden("Can only set your own presence state");
        }
        ObjectNode body = c.object();
        JsonNode presence = body.get("presence");
        if (presence == null || !presence.isTextual()) {
            throw MatrixException.unknown(400, "Unable to parse state");
        }
        JsonNode msg = body.get("status_msg");
        if (msg != null && !msg.isNull() && !msg.isTextual()) {
            throw MatrixException.unknown(400, "status_msg must be a string.");
        }
        if (!PRESENCE_STATES.contains(presence.asText())) {
            throw MatrixException.unknown(400, "Invalid presence state");
        }
        ephemeral.setPresence(r.userId(), presence.asText(), msg == null || msg.isNull() ? null : msg.asText());
        return Json.object();
    }
}
