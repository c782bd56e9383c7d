package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.HomeserverCore;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Session;
import dev.fakehomeserver.internal.model.User;

/**
 * {@code POST users}, {@code GET users}, {@code GET users/{userId}}: users created by the test, local or remote,
 * through {@code Accounts.ensureUser} (the same path the in-process injection uses).
 */
final class UserControl {
    private final HomeserverCore core;

    UserControl(HomeserverCore core) {
        this.core = core;
    }

    void register(RouteTable.Builder r) {
        r.add("POST", ControlApiRoutes.V1 + "/users", AuthMode.REQUIRED, this::create);
        r.add("GET", ControlApiRoutes.V1 + "/users", AuthMode.REQUIRED, this::list);
        r.add("GET", ControlApiRoutes.V1 + "/users/{userId}", AuthMode.REQUIRED, this::get);
    }

    /**
     * {@code {"user_id": "@alice:test"}} or {@code {"localpart": "alice"}}, optional {@code displayname}. Creates
     * the user if needed (no namespace checks: the test is in charge) and, for a local user, logs a new device in
     * and returns its access token. Remote users get no token: nobody logs in as them here.
     */
    private Object create(Call call) {
        String userId = call.optString("user_id");
        String localpart = call.optString("localpart");
        HomeserverModel model = core.model();
        if (userId == null) {
            if (localpart == null) {
                throw MatrixException.missingParam("Give user_id or localpart");
            }
            userId = "@" + localpart + ":" + model.serverName();
        }
        checkUserId(userId);
        String displayname = call.optString("displayname");
        synchronized (model) {
            User u = core.services().accounts().ensureUser(userId, displayname);
            ObjectNode out = describe(u);
            if (!u.remote) {
                Session s = core.services().accounts().login(u, null, "fake-homeserver control API");
                out.put("access_token", s.accessToken());
                out.put("device_id", s.deviceId());
            }
            return out;
        }
    }

    private Object list(Call call) {
        HomeserverModel model = core.model();
        synchronized (model) {
            ArrayNode users = Json.NODES.arrayNode();
            model.users().forEach(u -> users.add(describe(u)));
            ObjectNode out = Json.object();
            out.set("users", users);
            return out;
        }
    }

    private Object get(Call call) {
        HomeserverModel model = core.model();
        synchronized (model) {
            User u = model.user(call.param("userId"));
            if (u == null) {
                throw MatrixException.notFound("Unknown user " + call.param("userId"));
            }
            ObjectNode out = describe(u);
            ArrayNode devices = out.putArray("devices");
            u.devices.values().forEach(d -> devices.add(d.deviceId));
            ArrayNode rooms = out.putArray("joined_rooms");
            model.joinedRooms(u.userId).forEach(rooms::add);
            return out;
        }
    }

    static ObjectNode describe(User u) {
        ObjectNode o = Json.object();
        o.put("user_id", u.userId);
        o.put("displayname", u.displayname);
        o.put("avatar_url", u.avatarUrl);
        o.put("appservice_id", u.appserviceId);
        o.put("remote", u.remote);
        return o;
    }

    /** The grammar's outline: {@code @localpart:server}, both parts non-empty. */
    static void checkUserId(String userId) {
        int colon = userId.indexOf(':');
        if (!userId.startsWith("@") || colon < 2 || colon == userId.length() - 1) {
            throw MatrixException.invalidParam("Not a user id: " + userId + " (expected @localpart:server)");
        }
    }
}
