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
    private final Relations relations;

    public EphemeralEndpoints(Services services, Relations relations) {
        this.model = services.model();
        this.ephemeral = model.ephemeral();
        this.relations = relations;
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
        String target = SynapseIds.userId(c.param("userId"));
        ObjectNode body = c.object();
        ephemeral.bumpActive(r.userId());
        JsonNode timeout = body.get("timeout");
        if (timeout != null && !timeout.isNumber() && !timeout.isBoolean()) {
            // Synapse 1.94 answers 500 here (min() of a string and an int); a correct server says 400.
            throw MatrixException.badJson("'timeout' must be a number");
        }
        JsonNode typing = body.get("typing");
        if (typing == null) {
            // Synapse 1.94 answers 500 (a KeyError on content["typing"]); a correct server says 400.
            throw MatrixException.badJson("Missing 'typing'");
        }
        if (!model.isMine(target)) {
            throw MatrixException.unknown(400, "User is not hosted on this homeserver");
        }
        if (!target.equals(r.userId())) {
            // Synapse's AuthError(400, ...): a 400 with M_FORBIDDEN (golden step typing-other).
            throw MatrixException.forbidden400("Cannot set another user's typing state");
        }
        long ms = timeout == null ? 30_000 : timeout.isBoolean() ? (timeout.asBoolean() ? 1 : 0) : timeout.asLong();
        model.write(() -> {
            requireJoined(c.param("roomId"), r.userId());
            // Synapse tests `if content["typing"]:`, Python truthiness: null, false, 0, "" and empty lists and
            // objects stop typing (ement sends null after each message), anything else starts it.
            ephemeral.setTyping(c.param("roomId"), r.userId(), Json.truthy(typing), Math.min(ms, 120_000));
        });
        return Json.object();
    }

    /** Synapse's {@code ReceiptRestServlet}, check for check. */
    private Object receipt(Call c) {
        Requester r = c.who();
        String roomId = c.param("roomId");
        String eventId = c.param("eventId");
        String type = c.param("receiptType");
        if (!SynapseIds.isRoomId(roomId) || !eventId.startsWith("$")) {
            throw MatrixException.unknown(400, "A valid room ID and event ID must be specified");
        }
        if (!RECEIPT_TYPES.contains(type)) {
            throw MatrixException.unknown(400, "Receipt type must be " + String.join(", ", RECEIPT_TYPES));
        }
        ObjectNode body = c.object();
        String threadId = null;
        if (body.has("thread_id")) {
            JsonNode t = body.get("thread_id");
            if (!t.isTextual() || t.asText().isEmpty()) {
                throw MatrixException.invalidParam("thread_id field must be a non-empty string");
            }
            if (type.equals("m.fully_read")) {
                throw MatrixException.invalidParam("thread_id is not compatible with m.fully_read receipts.");
            }
            threadId = t.asText();
            String thread = threadId;
            boolean inThread = model.read(() -> thread.equals("main") ? relations.threadId(eventId).equals("main")
                    : thread.equals(relations.threadIdForReceipts(eventId)));
            if (!inThread) {
                throw MatrixException.invalidParam("event_id " + eventId + " is not related to thread " + threadId);
            }
        }
        ephemeral.bumpActive(r.userId());
        mark(roomId, r.userId(), type, eventId, threadId);
        return Json.object();
    }

    /** Synapse's {@code ReadMarkerRestServlet}: unknown keys are ignored, and so is a falsy value. */
    private Object readMarkers(Call c) {
        Requester r = c.who();
        ephemeral.bumpActive(r.userId());
        ObjectNode body = c.object();
        model.write(() -> {
            for (String type : RECEIPT_TYPES) {
                JsonNode v = body.get(type);
                if (v != null && Json.truthy(v)) {
                    // Synapse passes a non-string on as it is (a TODO there): no such event.
                    mark(c.param("roomId"), r.userId(), type, v.isTextual() ? v.asText() : v.toString(), null);
                }
            }
        });
        return Json.object();
    }

    /**
     * One receipt or read marker, as Synapse's handlers. {@code m.fully_read} is not a receipt but the room account
     * data of that type ({@code ReadMarkerHandler}): its event must exist (404 otherwise), in any room, and the
     * user need not be in the room; it only moves forward. A receipt ({@code ReceiptsHandler}) for an event that
     * is not in the room is dropped with a 200, and one for an event the user may not see is 403.
     */
    private void mark(String roomId, String userId, String type, String eventId, String threadId) {
        model.write(() -> {
            Event e = model.event(eventId);
            if (type.equals("m.fully_read")) {
                if (e == null) {
                    throw MatrixException.unknown(404, "Could not find event " + eventId);
                }
                User u = model.user(userId);
                JsonNode old = u == null ? null : u.roomAccountData(roomId, "m.fully_read");
                Event before = old == null ? null : model.event(old.path("event_id").asText());
                if (u != null && (before == null || e.stream() > before.stream())) {
                    u.putRoomAccountData(roomId, "m.fully_read", Json.object().put("event_id", eventId));
                    model.signal().bump();
                }
                return;
            }
            Room room = model.room(roomId);
            if (e == null || room == null || !e.roomId().equals(roomId)) {
                return;
            }
            if (e.stream() > RoomAccess.visibleUpTo(room, userId)) {
                throw MatrixException.forbidden("You don't have permission to access that event.");
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
        String target = SynapseIds.userId(c.param("userId"));
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
        if (!SynapseIds.userId(c.param("userId")).equals(r.userId())) {
            throw MatrixException.forbidden("Can only set your own presence state");
        }
        ObjectNode body = c.object();
        JsonNode presence = body.get("presence");
        if (presence == null) {
            throw MatrixException.unknown(400, "Unable to parse state");
        }
        JsonNode msg = body.get("status_msg");
        if (msg != null && !msg.isTextual()) {
            throw MatrixException.unknown(400, "status_msg must be a string.");
        }
        // Synapse pops presence and status_msg and refuses whatever else the body holds.
        if (body.size() > (msg == null ? 1 : 2)) {
            throw MatrixException.unknown(400, "Unable to parse state");
        }
        if (!presence.isTextual() || !PRESENCE_STATES.contains(presence.asText())) {
            throw MatrixException.unknown(400, "Invalid presence state");
        }
        ephemeral.setPresence(r.userId(), presence.asText(), msg == null ? null : msg.asText());
        return Json.object();
    }
}
