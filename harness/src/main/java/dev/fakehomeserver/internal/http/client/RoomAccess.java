package dev.fakehomeserver.internal.http.client;

import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;

/**
 * Synapse's {@code check_user_in_room_or_world_readable}: who may read a room's data. A joined user; a user who
 * left or was banned when the endpoint allows departed users; anyone when the room is {@code world_readable}.
 * Everyone else, and an unknown room, gets 403 {@code M_FORBIDDEN} (not 404: Synapse does not say which).
 */
final class RoomAccess {
    private RoomAccess() {}

    /** The room the user may read. Caller holds the model's lock. */
    static Room readable(HomeserverModel model, String roomId, String userId, boolean allowDeparted) {
        Room room = model.room(roomId);
        if (room != null) {
            String m = room.state().membership(userId);
            if ("join".equals(m) || (allowDeparted && ("leave".equals(m) || "ban".equals(m)))
                    || worldReadable(room)) {
                return room;
            }
        }
        throw MatrixException.forbidden("User " + userId + " not in room " + roomId
                + ", and room previews are disabled");
    }

    static boolean worldReadable(Room room) {
        Event vis = room.state().get("m.room.history_visibility", "");
        return vis != null && "world_readable".equals(vis.content().path("history_visibility").asText());
    }

    /** The user's stream position limit in the room: everything when joined or world readable, else up to the leave. */
    static long visibleUpTo(Room room, String userId) {
        if (worldReadable(room)) {
            return Long.MAX_VALUE;
        }
        Event member = room.state().get("m.room.member", userId);
        String m = member == null ? null : member.membership();
        if ("join".equals(m)) {
            return Long.MAX_VALUE;
        }
        return "leave".equals(m) || "ban".equals(m) ? member.stream() : -1;
    }
}
