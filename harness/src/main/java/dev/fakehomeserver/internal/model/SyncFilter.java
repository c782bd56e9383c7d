package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.List;

/**
 * A sync filter ({@code Filter} in the spec): {@code presence}, {@code account_data} and {@code room} with its
 * {@code rooms}, {@code not_rooms}, {@code include_leave}, {@code timeline}, {@code state}, {@code ephemeral}
 * and {@code account_data}; each event part honours {@code types}, {@code not_types}, {@code senders},
 * {@code not_senders}, {@code limit} (and, for room parts, {@code rooms}/{@code not_rooms}). Unknown keys, and
 * {@code event_fields}, {@code event_format} and {@code lazy_load_members}, are accepted and ignored: sending
 * every member is what a server without lazy loading does.
 */
public record SyncFilter(Part presence, Part accountData, List<String> rooms, List<String> notRooms,
                         boolean includeLeave, Part timeline, Part state, Part ephemeral, Part roomAccountData) {
    /** Synapse's default timeline limit. */
    public static final int DEFAULT_TIMELINE_LIMIT = 10;
    public static final SyncFilter ALL = parse(dev.fakehomeserver.internal.base.Json.object());

    /** One event filter, with the rooms it applies to (room parts only). */
    public record Part(EventFilter events, List<String> rooms, List<String> notRooms) {
        public boolean matches(Event e) {
            return events.matches(e);
        }

        public boolean allowsRoom(String roomId) {
            return !notRooms.contains(roomId) && (rooms == null || rooms.contains(roomId));
        }

        /** The part's limit, or {@code dflt}. */
        public int limit(int dflt) {
            return events.limit() == null ? dflt : events.limit();
        }

        /** For ephemeral and account data, which are not room events: type and sender only. */
        public boolean matches(String type, String sender) {
            EventFilter f = events;
            if (f.notTypes().stream().anyMatch(t -> EventFilter.typeMatches(t, type))
                    || f.types() != null && f.types().stream().noneMatch(t -> EventFilter.typeMatches(t, type))) {
                return false;
            }
            return sender == null || !f.notSenders().contains(sender) && (f.senders() == null || f.senders().contains(sender));
        }
    }

    /**
     * Parses a filter object: 400 {@code M_UNKNOWN} when a known field has the wrong shape, as Synapse's
     * {@code check_valid_filter} answers its schema's errors (recorded in {@code sync-conversation}; a saved
     * filter of that shape makes Synapse 1.94 answer 500 before it looks).
     */
    public static SyncFilter parse(JsonNode f) {
        try {
            return parseChecked(f);
        } catch (MatrixException e) {
            throw e.errcode().equals("M_BAD_JSON") ? MatrixException.unknown(400, e.error()) : e;
        }
    }

    private static SyncFilter parseChecked(JsonNode f) {
        if (!f.isObject()) {
            throw MatrixException.badJson("filter must be a JSON object");
        }
        JsonNode room = object(f, "room");
        JsonNode leave = room.get("include_leave");
        if (leave != null && !leave.isNull() && !leave.isBoolean()) {
            throw MatrixException.badJson("filter.room.include_leave must be a boolean");
        }
        return new SyncFilter(part(object(f, "presence")), part(object(f, "account_data")),
                EventFilter.strings(room, "rooms"), EventFilter.orEmpty(EventFilter.strings(room, "not_rooms")),
                leave != null && leave.asBoolean(),
                part(object(room, "timeline")), part(object(room, "state")), part(object(room, "ephemeral")),
                part(object(room, "account_data")));
    }

    public boolean allowsRoom(String roomId) {
        return !notRooms.contains(roomId) && (rooms == null || rooms.contains(roomId));
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return dev.fakehomeserver.internal.base.Json.object();
        }
        if (!v.isObject()) {
            throw MatrixException.badJson("filter field '" + field + "' must be an object");
        }
        return v;
    }

    private static Part part(JsonNode n) {
        return new Part(EventFilter.parse(n.toString()), EventFilter.strings(n, "rooms"),
                EventFilter.orEmpty(EventFilter.strings(n, "not_rooms")));
    }
}
