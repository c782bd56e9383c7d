package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.User;
import java.util.List;

/** Profiles: displayname and avatar_url, propagated to the user's member events as Synapse does. */
public final class ProfileEndpoints {
    private final Services s;
    private final HomeserverModel model;

    public ProfileEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.client("GET", "/profile/{userId}", AuthMode.OPTIONAL, this::profile);
        r.client("GET", "/profile/{userId}/displayname", AuthMode.OPTIONAL, c -> field(c, "displayname"));
        r.client("GET", "/profile/{userId}/avatar_url", AuthMode.OPTIONAL, c -> field(c, "avatar_url"));
        r.client("PUT", "/profile/{userId}/displayname", AuthMode.REQUIRED, c -> set(c, "displayname"));
        r.client("PUT", "/profile/{userId}/avatar_url", AuthMode.REQUIRED, c -> set(c, "avatar_url"));
    }

    private User existing(String userId) {
        User u = model.user(userId);
        if (u == null) {
            throw MatrixException.notFound("Profile was not found");
        }
        return u;
    }

    private Object profile(Call c) {
        return model.read(() -> {
            User u = existing(c.param("userId"));
            ObjectNode o = Json.object();
            if (u.displayname() != null) {
                o.put("displayname", u.displayname());
            }
            if (u.avatarUrl() != null) {
                o.put("avatar_url", u.avatarUrl());
            }
            return o;
        });
    }

    private Object field(Call c, String name) {
        return model.read(() -> {
            User u = existing(c.param("userId"));
            String v = name.equals("displayname") ? u.displayname() : u.avatarUrl();
            ObjectNode o = Json.object();
            if (v != null) {
                o.put(name, v);
            }
            return o;
        });
    }

    private Object set(Call c, String name) {
        Requester r = c.who();
        String target = c.param("userId");
        ObjectNode body = c.object();
        if (!target.equals(r.userId())) {
            // Synapse answers 400 with M_FORBIDDEN here (golden step profile-set-other).
            throw MatrixException.forbidden400("Cannot set another user's " + name);
        }
        JsonNode v = body.get(name);
        if (v == null || !(v.isTextual() || v.isNull())) {
            throw MatrixException.unknown(400, "'" + name + "' must be a string");
        }
        String value = v.isNull() ? null : v.asText();
        if (value != null && value.length() > (name.equals("displayname") ? 256 : 1000)) {
            throw MatrixException.unknown(400, name + " is too long");
        }
        model.write(() -> {
            User u = existing(target);
            if (name.equals("displayname")) {
                u.displayname(value);
            } else {
                u.avatarUrl(value);
            }
            // Synapse re-sends the member event of every joined room with the new profile.
            for (String roomId : List.copyOf(model.joinedRooms(target))) {
                Room room = model.room(roomId);
                if (room != null) {
                    s.rooms().appendMembership(roomId, target, target, s.rooms().memberContent(target, "join", null));
                }
            }
            model.signal().bump();
        });
        return Json.object();
    }
}
