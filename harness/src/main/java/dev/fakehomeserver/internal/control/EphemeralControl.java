package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.http.RouteTable;

/**
 * Typing, read receipts and presence injected by the test: {@code POST rooms/{roomId}/typing},
 * {@code POST rooms/{roomId}/receipts}, {@code PUT users/{userId}/presence}. Each is the facade's
 * {@code hs.user(..).typing/receipt/presence}, so the same rules apply (the user must be joined to the room) and
 * interested appservices that opted in to ephemeral data are pushed them.
 */
final class EphemeralControl {
    private final Homeserver hs;

    EphemeralControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        r.add("POST", ControlApiRoutes.V1 + "/rooms/{roomId}/typing", AuthMode.REQUIRED,
                Fields.only(this::typing, "user_id", "typing"));
        r.add("POST", ControlApiRoutes.V1 + "/rooms/{roomId}/receipts", AuthMode.REQUIRED,
                Fields.only(this::receipt, "user_id", "event_id"));
        r.add("PUT", ControlApiRoutes.V1 + "/users/{userId}/presence", AuthMode.REQUIRED,
                Fields.only(this::presence, "presence"));
    }

    /** {@code {"user_id": "@alice:test", "typing": true}}; {@code typing} defaults to true. */
    private Object typing(Call call) {
        String user = call.string("user_id");
        boolean typing = call.optBool("typing", true);
        FacadeCalls.run(() -> hs.user(user).typing(call.param("roomId"), typing));
        return Json.object();
    }

    /** {@code {"user_id": "@alice:test", "event_id": "$..."}}: an {@code m.read} receipt. */
    private Object receipt(Call call) {
        String user = call.string("user_id");
        String eventId = call.string("event_id");
        FacadeCalls.run(() -> hs.user(user).receipt(call.param("roomId"), eventId));
        return Json.object();
    }

    /** {@code {"presence": "online" | "unavailable" | "offline"}}. */
    private Object presence(Call call) {
        String user = call.param("userId");
        String state = call.string("presence");
        FacadeCalls.run(() -> hs.user(user).presence(state));
        return Json.object();
    }
}
