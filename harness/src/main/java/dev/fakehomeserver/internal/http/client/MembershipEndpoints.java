package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.Services;

/** join, leave, invite, kick, ban, unban, and the member lists. */
public final class MembershipEndpoints {
    private final Services s;
    private final HomeserverModel model;

    public MembershipEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.client("POST", "/join/{roomIdOrAlias}", AuthMode.REQUIRED, this::join);
        r.client("POST", "/rooms/{roomId}/join", AuthMode.REQUIRED, this::joinRoom);
        r.client("POST", "/rooms/{roomId}/leave", AuthMode.REQUIRED, this::leave);
        r.client("POST", "/rooms/{roomId}/invite", AuthMode.REQUIRED, c -> change(c, "invite"));
        r.client("POST", "/rooms/{roomId}/kick", AuthMode.REQUIRED, c -> change(c, "leave"));
        r.client("POST", "/rooms/{roomId}/ban", AuthMode.REQUIRED, c -> change(c, "ban"));
        r.client("POST", "/rooms/{roomId}/unban", AuthMode.REQUIRED, c -> change(c, "leave"));
        r.client("POST", "/rooms/{roomId}/forget", AuthMode.REQUIRED, this::forget);
        r.client("POST", "/knock/{roomIdOrAlias}", AuthMode.REQUIRED, this::knock);
        r.client("GET", "/joined_rooms", AuthMode.REQUIRED, this::joinedRooms);
        r.client("GET", "/rooms/{roomId}/joined_members", AuthMode.REQUIRED, this::joinedMembers);
        r.client("GET", "/rooms/{roomId}/members", AuthMode.REQUIRED, this::members);
    }

    /** A missing local alias is first asked of the appservices, without blocking (see DirectoryEndpoints). */
    private Object join(Call c) {
        c.allowEmptyBody().object();
        String given = c.param("roomIdOrAlias");
        if (!given.startsWith("!") && !given.startsWith("#")) {
            throw MatrixException.unknown(400, given + " was not legal room ID or room alias");
        }
        Requester r = c.who();
        return DirectoryEndpoints.roomIdForJoin(s, c.param("roomIdOrAlias"))
                .thenApply(target -> Json.object().put("room_id", s.rooms().join(r, target)));
    }

    private Object joinRoom(Call c) {
        c.allowEmptyBody().object();
        return Json.object().put("room_id", s.rooms().join(c.who(), c.param("roomId")));
    }

    private Object leave(Call c) {
        c.allowEmptyBody().object();
        Requester r = c.who();
        model.write(() -> {
            Room room = model.room(c.param("roomId"));
            if (room == null) {
                throw MatrixException.unknown(404, "Not a known room");
            }
            if ("leave".equals(room.state().membership(r.userId()))) {
                // Synapse answers a repeated leave with 200 and sends nothing.
                return;
            }
            s.rooms().appendMembership(c.param("roomId"), r.userId(), r.userId(),
                    s.rooms().memberContent(r.userId(), "leave", c.optString("reason")));
        });
        return Json.object();
    }

    /**
     * Knocks on a room whose join rule is {@code knock} (room version 7 and later). The knock carries
     * {@code knock_room_state}; a member with invite power then lets the knocker in with an invite.
     */
    private Object knock(Call c) {
        String reason = c.optString("reason");
        String user = c.who().userId();
        return model.write(() -> {
            String target = c.param("roomIdOrAlias");
            String roomId = target.startsWith("#") ? model.roomForAlias(target) : target;
            if (roomId == null || model.room(roomId) == null) {
                throw MatrixException.notFound("No known servers");
            }
            if ("join".equals(model.room(roomId).state().membership(user))) {
                throw MatrixException.forbidden("User " + user + " is already in the room.");
            }
            s.rooms().appendMembership(roomId, user, user, s.rooms().memberContent(user, "knock", reason));
            return Json.object().put("room_id", roomId);
        });
    }

    /** Synapse refuses to forget a room the user is still joined to (400), and accepts any other membership. */
    private Object forget(Call c) {
        c.allowEmptyBody().object();
        String user = c.who().userId();
        model.write(() -> {
            Room room = model.room(c.param("roomId"));
            if (room == null) {
                // Synapse 1.94 forgets an unknown room without complaint.
                return;
            }
            String membership = room.state().membership(user);
            if (membership == null) {
                throw MatrixException.notFound("User " + user + " is not in room " + c.param("roomId"));
            }
            if ("join".equals(membership)) {
                throw MatrixException.unknown(400, "User " + user + " is in room " + room.roomId());
            }
            room.forget(user);
        });
        return Json.object();
    }

    private Object change(Call c, String membership) {
        c.allowEmptyBody();
        Requester r = c.who();
        String target = c.string("user_id");
        if (!target.startsWith("@") || !target.contains(":")) {
            throw MatrixException.invalidParam("Invalid user_id " + target);
        }
        String roomId = c.param("roomId");
        // Synapse copies a reason of any JSON type into the content (a number is no error there).
        com.fasterxml.jackson.databind.JsonNode reason = c.object().get("reason");
        model.write(() -> {
            Room room = model.room(roomId);
            if (room == null) {
                throw c.path().endsWith("/unban") ? MatrixException.unknown(404, "Not a known room")
                        : MatrixException.forbidden("Unknown room " + roomId);
            }
            String current = room.state().membership(target);
            boolean unban = c.path().endsWith("/unban");
            if (unban && !"ban".equals(current)) {
                throw MatrixException.badState("Cannot unban user who was not banned");
            }
            if (c.path().endsWith("/kick") && !"join".equals(current) && !"invite".equals(current)
                    && !"knock".equals(current)) {
                throw MatrixException.forbidden("The target user is not in the room");
            }
            if (membership.equals("invite") && "ban".equals(current)) {
                throw MatrixException.badState(target + " is banned from the room");
            }
            ObjectNode content = s.rooms().memberContent(target, membership, null);
            if (reason != null && !reason.isNull()) {
                content.set("reason", reason.deepCopy());
            }
            s.rooms().appendMembership(roomId, r.userId(), target, content);
        });
        return Json.object();
    }

    private void requireRoom(String roomId) {
        if (model.room(roomId) == null) {
            throw MatrixException.forbidden("Unknown room " + roomId);
        }
    }

    private Object joinedRooms(Call c) {
        return model.read(() -> {
            ObjectNode o = Json.object();
            ArrayNode a = o.putArray("joined_rooms");
            model.joinedRooms(c.who().userId()).forEach(a::add);
            return o;
        });
    }

    private Room memberRoom(Call c) {
        Room room = model.room(c.param("roomId"));
        String user = c.who().userId();
        if (room == null || room.state().membership(user) == null) {
            throw MatrixException.forbidden("User " + user + " not in room " + c.param("roomId"));
        }
        return room;
    }

    private Object joinedMembers(Call c) {
        return model.read(() -> {
            // Only members now joined (or anyone in a world-readable room), unlike /members.
            Room room = RoomAccess.readable(model, c.param("roomId"), c.who().userId(), false);
            ObjectNode o = Json.object();
            ObjectNode joined = o.putObject("joined");
            for (String u : room.state().joined()) {
                Event m = room.state().get("m.room.member", u);
                ObjectNode p = joined.putObject(u);
                p.set("avatar_url", m.content().has("avatar_url") ? m.content().get("avatar_url") : Json.NODES.nullNode());
                p.set("display_name", m.content().has("displayname") ? m.content().get("displayname") : Json.NODES.nullNode());
            }
            return o;
        });
    }

    private Object members(Call c) {
        String only = c.query("membership");
        String not = c.query("not_membership");
        return model.read(() -> {
            Room room = memberRoom(c);
            ObjectNode o = Json.object();
            ArrayNode chunk = o.putArray("chunk");
            long now = model.now();
            for (Event m : room.state().ofType("m.room.member")) {
                String ms = m.membership();
                if ((only == null || only.equals(ms)) && (not == null || !not.equals(ms))) {
                    chunk.add(EventFormat.client(m, now));
                }
            }
            return o;
        });
    }
}
