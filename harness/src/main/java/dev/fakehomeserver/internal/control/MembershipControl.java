package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;

/**
 * Membership changes injected by the test, each the facade's {@code Actor} method of the same name, so the
 * membership rules apply as in process (only a member with the power may invite, kick or ban; a join needs an
 * invite unless the room is public) and interested appservices are pushed the member events:
 * {@code POST rooms/{roomId}/invite} ({@code hs.user(sender).invite(room, user)}), {@code join}
 * ({@code hs.user(user).join(room)}), {@code leave}, {@code kick} and {@code ban} (with an optional reason).
 * The room may be named by id or by local alias.
 */
final class MembershipControl {
    private final Homeserver hs;

    MembershipControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        String room = ControlApiRoutes.V1 + "/rooms/{roomId}";
        r.add("POST", room + "/invite", AuthMode.REQUIRED, Fields.only(this::invite, "sender", "user_id"));
        r.add("POST", room + "/join", AuthMode.REQUIRED, Fields.only(this::join, "user_id"));
        r.add("POST", room + "/leave", AuthMode.REQUIRED, Fields.only(this::leave, "user_id"));
        r.add("POST", room + "/kick", AuthMode.REQUIRED, Fields.only(this::kick, "sender", "user_id", "reason"));
        r.add("POST", room + "/ban", AuthMode.REQUIRED, Fields.only(this::ban, "sender", "user_id", "reason"));
    }

    /** {@code {"sender": "@alice:test", "user_id": "@bob:test"}}. */
    private Object invite(Call call) {
        String sender = call.string("sender");
        String user = call.string("user_id");
        FacadeCalls.run(() -> hs.user(sender).invite(call.param("roomId"), user));
        return membership(call, user);
    }

    /** {@code {"user_id": "@bob:test"}}; answers the room id too (the path may name the room by alias). */
    private Object join(Call call) {
        String user = call.string("user_id");
        String roomId = FacadeCalls.call(() -> hs.user(user).join(call.param("roomId")));
        return membership(call, user).put("room_id", roomId);
    }

    private Object leave(Call call) {
        String user = call.string("user_id");
        FacadeCalls.run(() -> hs.user(user).leave(call.param("roomId")));
        return membership(call, user);
    }

    /** {@code {"sender": "@alice:test", "user_id": "@bob:test", "reason"?: "spam"}}. */
    private Object kick(Call call) {
        return removal(call, false);
    }

    private Object ban(Call call) {
        return removal(call, true);
    }

    private Object removal(Call call, boolean ban) {
        String sender = call.string("sender");
        String user = call.string("user_id");
        String reason = call.optString("reason");
        String room = call.param("roomId");
        FacadeCalls.run(() -> {
            if (ban) {
                hs.user(sender).ban(room, user, reason);
            } else {
                hs.user(sender).kick(room, user, reason);
            }
        });
        return membership(call, user);
    }

    /** {@code {"user_id", "membership"}}: the user's membership after the change, as {@code RoomView} has it. */
    private com.fasterxml.jackson.databind.node.ObjectNode membership(Call call, String user) {
        return Json.object().put("user_id", user)
                .put("membership", hs.room(call.param("roomId")).membership(user));
    }
}
