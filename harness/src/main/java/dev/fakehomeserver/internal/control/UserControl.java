package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.view.UserView;

/**
 * {@code POST users}, {@code GET users}, {@code GET users/{userId}}: users created by the test, local or remote,
 * through {@code hs.user(..)}, so a user in an appservice's exclusive namespace belongs to it as in process.
 */
final class UserControl {
    private final Homeserver hs;

    UserControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        r.add("POST", ControlApiRoutes.V1 + "/users", AuthMode.REQUIRED,
                Fields.only(this::create, "user_id", "localpart", "displayname"));
        r.add("GET", ControlApiRoutes.V1 + "/users", AuthMode.REQUIRED, this::list);
        r.add("GET", ControlApiRoutes.V1 + "/users/{userId}", AuthMode.REQUIRED, this::get);
    }

    /**
     * {@code {"user_id": "@alice:test"}} or {@code {"localpart": "alice"}}, optional {@code displayname}. Creates
     * the user if needed, as {@code hs.user(..)} does (no registration checks: the test is in charge) and, for a
     * local user, logs a new device in and returns its access token. Remote users get no token: nobody logs in as
     * them here.
     */
    private Object create(Call call) {
        String userId = call.optString("user_id");
        String localpart = call.optString("localpart");
        if (userId == null) {
            if (localpart == null) {
                throw MatrixException.missingParam("Give user_id or localpart");
            }
            userId = "@" + localpart + ":" + hs.serverName();
        }
        String id = userId;
        String displayname = call.optString("displayname");
        return FacadeCalls.call(() -> {
            Actor user = hs.user(id);
            if (displayname != null) {
                user.displayName(displayname);
            }
            UserView view = user.view();
            ObjectNode out = describe(view);
            if (!view.remote()) {
                Actor.Login login = user.login("fake-homeserver control API");
                out.put("access_token", login.accessToken());
                out.put("device_id", login.deviceId());
            }
            return out;
        });
    }

    private Object list(Call call) {
        ArrayNode users = Json.NODES.arrayNode();
        hs.users().forEach(u -> users.add(describe(u)));
        ObjectNode out = Json.object();
        out.set("users", users);
        return out;
    }

    private Object get(Call call) {
        String userId = call.param("userId");
        UserView u = hs.findUser(userId).orElseThrow(() -> MatrixException.notFound("Unknown user " + userId));
        ObjectNode out = describe(u);
        ArrayNode devices = out.putArray("devices");
        u.devices().forEach(d -> devices.add(d.deviceId()));
        ArrayNode rooms = out.putArray("joined_rooms");
        u.joinedRooms().forEach(rooms::add);
        return out;
    }

    private static ObjectNode describe(UserView u) {
        ObjectNode o = Json.object();
        o.put("user_id", u.userId());
        o.put("displayname", u.displayName());
        o.put("avatar_url", u.avatarUrl());
        o.put("appservice_id", u.appserviceId());
        o.put("remote", u.remote());
        return o;
    }
}
