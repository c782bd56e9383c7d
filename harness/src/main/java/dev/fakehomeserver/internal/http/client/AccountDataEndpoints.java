package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.User;
import java.util.Map;

/** Global and per-room account data, readable and writable only by its own user (Synapse's account_data.py). */
public final class AccountDataEndpoints {
    private final HomeserverModel model;

    public AccountDataEndpoints(Services services) {
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.client("GET", "/user/{userId}/account_data/{type}", AuthMode.REQUIRED, this::getGlobal);
        r.client("PUT", "/user/{userId}/account_data/{type}", AuthMode.REQUIRED, this::putGlobal);
        r.client("GET", "/user/{userId}/rooms/{roomId}/account_data/{type}", AuthMode.REQUIRED, this::getRoom);
        r.client("PUT", "/user/{userId}/rooms/{roomId}/account_data/{type}", AuthMode.REQUIRED, this::putRoom);
    }

    private Object getGlobal(Call c) {
        return model.read(() -> {
            return found(self(c, "get").accountData().get(c.param("type")));
        });
    }

    private Object putGlobal(Call c) {
        ObjectNode content = c.object();
        model.write(() -> {
            self(c, "add").putAccountData(c.param("type"), content);
            model.signal().bump();
        });
        return Json.object();
    }

    private Object getRoom(Call c) {
        return model.read(() -> {
            User u = self(c, "get");
            String roomId = roomId(c);
            return found(u.roomAccountData(roomId, c.param("type")));
        });
    }

    private Object putRoom(Call c) {
        ObjectNode content = c.object();
        String type = c.param("type");
        model.write(() -> {
            User u = self(c, "add");
            String roomId = roomId(c);
            if (type.equals("m.fully_read")) {
                throw MatrixException.badJson("Cannot set m.fully_read through this API. Use /rooms/" + roomId
                        + "/read_markers");
            }
            u.putRoomAccountData(roomId, type, content);
            model.signal().bump();
        });
        return Json.object();
    }

    /** The requester's own user: 403 for anybody else's account data, as Synapse answers. */
    private User self(Call c, String verb) {
        Requester r = c.who();
        if (!c.param("userId").equals(r.userId())) {
            throw MatrixException.forbidden("Cannot " + verb + " account data for other users.");
        }
        User u = model.user(r.userId());
        if (u == null) {
            // Only the unregistered appservice sender gets here (spec-digest §4.10): it has no users row.
            throw MatrixException.notFound("User " + r.userId() + " is not registered");
        }
        return u;
    }

    private static String roomId(Call c) {
        String roomId = c.param("roomId");
        if (!roomId.startsWith("!") || !roomId.contains(":")) {
            throw MatrixException.invalidParam(roomId + " is not a valid room ID");
        }
        return roomId;
    }

    private static ObjectNode found(ObjectNode content) {
        if (content == null) {
            throw MatrixException.notFound("Account data not found");
        }
        return content.deepCopy();
    }
}
