package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.User;

/**
 * Global and per-room account data, readable and writable only by its own user, as Synapse 1.94's
 * {@code account_data.py} (checked by the {@code accountdata} conversation). Its order: the token, the path's user
 * (403 for anybody else's), for a room the room id's syntax ({@code RoomID.is_valid}; the room need not exist
 * nor the user be in it), then {@code m.fully_read} refused per room (405 {@code M_BAD_JSON}; globally it is
 * stored like any type, as is {@code m.push_rules}), then the body. The appservice's sender keeps account data
 * too, unregistered as it is. Synapse matches the path as a prefix, so one more segment names the same type.
 */
public final class AccountDataEndpoints {
    private final Services s;
    private final HomeserverModel model;

    public AccountDataEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        for (String tail : new String[] {"", "/{extra}"}) {
            r.clientWithUnstable("GET", "/user/{userId}/account_data/{type}" + tail, AuthMode.REQUIRED,
                    this::getGlobal);
            r.clientWithUnstable("PUT", "/user/{userId}/account_data/{type}" + tail, AuthMode.REQUIRED,
                    this::putGlobal);
            r.clientWithUnstable("GET", "/user/{userId}/rooms/{roomId}/account_data/{type}" + tail,
                    AuthMode.REQUIRED, this::getRoom);
            r.clientWithUnstable("PUT", "/user/{userId}/rooms/{roomId}/account_data/{type}" + tail,
                    AuthMode.REQUIRED, this::putRoom);
        }
    }

    private Object getGlobal(Call c) {
        String userId = self(c, "get");
        return model.read(() -> {
            User u = model.user(userId);
            return found(u == null ? null : u.accountData().get(c.param("type")), "Account data not found");
        });
    }

    private Object putGlobal(Call c) {
        String userId = self(c, "add");
        ObjectNode content = c.object();
        model.write(() -> {
            s.accounts().ensureSender(userId).putAccountData(c.param("type"), content);
            model.signal().bump();
        });
        return Json.object();
    }

    private Object getRoom(Call c) {
        String userId = self(c, "get");
        String roomId = roomId(c);
        return model.read(() -> {
            User u = model.user(userId);
            return found(u == null ? null : u.roomAccountData(roomId, c.param("type")),
                    "Room account data not found");
        });
    }

    private Object putRoom(Call c) {
        String userId = self(c, "add");
        String roomId = roomId(c);
        String type = c.param("type");
        if (type.equals("m.fully_read")) {
            throw new MatrixException(405, "M_BAD_JSON",
                    "Cannot set m.fully_read through this API. Use /rooms/!roomId:server.name/read_markers");
        }
        ObjectNode content = c.object();
        model.write(() -> {
            s.accounts().ensureSender(userId).putRoomAccountData(roomId, type, content);
            model.signal().bump();
        });
        return Json.object();
    }

    /**
     * The requester's own user id: 403 for anybody else's account data, as Synapse answers. Every requester is
     * a registered user but the appservice's sender, whose account data Synapse keeps all the same; {@code
     * ensureSender} makes its user on its first write.
     */
    private static String self(Call c, String verb) {
        Requester r = c.who();
        if (!c.param("userId").equals(r.userId())) {
            throw MatrixException.forbidden("Cannot " + verb + " account data for other users.");
        }
        return r.userId();
    }

    private static String roomId(Call c) {
        String roomId = c.param("roomId");
        if (!SynapseIds.isRoomId(roomId)) {
            throw MatrixException.invalidParam(roomId + " is not a valid room ID");
        }
        return roomId;
    }

    private static ObjectNode found(ObjectNode content, String notFound) {
        if (content == null) {
            throw MatrixException.notFound(notFound);
        }
        return content.deepCopy();
    }
}
