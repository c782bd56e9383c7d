package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Directory;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventDraft;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.Services;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The room alias directory, the room directory and the public room lists (spec-digest §4.8), with Synapse's
 * (synapse/handlers/directory.py, synapse/rest/client/{directory,room}.py) checks and messages.
 */
public final class DirectoryEndpoints {
    private final Services s;
    private final HomeserverModel model;

    public DirectoryEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        // Synapse checks the alias (and, for PUT, the body and the room) before the token, hence LATE.
        r.clientV1("GET", "/directory/room/{roomAlias}", AuthMode.NONE, this::resolve);
        r.clientV1("PUT", "/directory/room/{roomAlias}", AuthMode.LATE, this::createAlias);
        r.clientV1("DELETE", "/directory/room/{roomAlias}", AuthMode.LATE, this::deleteAlias);
        r.clientV1("GET", "/directory/list/room/{roomId}", AuthMode.NONE, this::visibility);
        r.clientV1("PUT", "/directory/list/room/{roomId}", AuthMode.REQUIRED, this::setVisibility);
        r.clientV1("PUT", "/directory/list/appservice/{networkId}/{roomId}", AuthMode.LATE, c -> network(c, true));
        r.clientV1("DELETE", "/directory/list/appservice/{networkId}/{roomId}", AuthMode.REQUIRED,
                c -> network(c, false));
    }

    /** {@code RoomAlias.is_valid} first, as every alias servlet of Synapse does. */
    private static String validAlias(Call c) {
        String alias = c.param("roomAlias");
        if (!SynapseIds.isValidAlias(alias)) {
            throw MatrixException.invalidParam("Room alias invalid");
        }
        return alias;
    }

    // ---- aliases ------------------------------------------------------------------------------------------

    /**
     * Resolves an alias. A missing local alias is first asked of the appservices (their answer only matters in
     * that they may have created it meanwhile), then read again: the endpoint returns that stage, never blocks.
     */
    private Object resolve(Call c) {
        String alias = validAlias(c);
        return askIfMissing(s, alias).thenApply(v -> {
            String roomId = model.read(() -> model.roomForAlias(alias));
            if (roomId == null) {
                throw aliasNotFound(alias);
            }
            ObjectNode o = Json.object();
            o.put("room_id", roomId);
            o.putArray("servers").add(model.serverName());
            return o;
        });
    }

    /**
     * Resolves a room id or alias for {@code POST /join/{roomIdOrAlias}}: completes with the same value once a
     * missing local alias has been asked of the appservices, as {@link #resolve} does.
     */
    public static CompletionStage<String> roomIdForJoin(Services s, String roomIdOrAlias) {
        if (!roomIdOrAlias.startsWith("#")) {
            return CompletableFuture.completedFuture(roomIdOrAlias);
        }
        Directory.checkAliasSyntax(roomIdOrAlias);
        return askIfMissing(s, roomIdOrAlias).thenApply(v -> roomIdOrAlias);
    }

    /** Completes at once for a known or remote alias, else when the appservices have been asked about it. */
    private static CompletionStage<Void> askIfMissing(Services s, String alias) {
        HomeserverModel model = s.model();
        boolean known = model.read(() -> model.roomForAlias(alias) != null || !model.isMine(alias));
        return known ? CompletableFuture.completedFuture(null) : s.calls().queryAlias(alias);
    }

    static MatrixException aliasNotFound(String alias) {
        return MatrixException.notFound("Room alias " + alias + " not found");
    }

    /**
     * Synapse's order: the alias, the body (a pydantic model: {@code room_id} a string, {@code servers} an
     * optional list of strings), the room, then the token, the length, the namespace or membership, the
     * exclusive namespaces, then the characters, locality and uniqueness ({@link Directory#create}).
     */
    private Object createAlias(Call c) {
        String alias = validAlias(c);
        BodyModel body = new BodyModel(c.object());
        String roomId = body.strictStr("room_id");
        body.optStrictStrList("servers");
        body.validate();
        if (model.read(() -> model.room(roomId) == null)) {
            throw MatrixException.unknown(400, "Room does not exist");
        }
        Requester r = c.who();
        if (alias.length() > 255) {
            throw MatrixException.invalidParam("Can't create aliases longer than 255 characters");
        }
        model.write(() -> {
            if (!r.isAppservice() && !model.joinedRooms(r.userId()).contains(roomId)) {
                // require_membership_for_aliases, on by default.
                throw MatrixException.forbidden("You must be in the room to create an alias for it");
            }
            s.directory().checkMayEdit(r, alias);
            s.directory().create(r, alias, roomId);
        });
        return Json.object();
    }

    private Object deleteAlias(Call c) {
        String alias = validAlias(c);
        Requester r = c.who();
        model.write(() -> {
            if (r.isAppservice()) {
                if (!r.appservice().matcher().isInterestedInAlias(alias)) {
                    // Synapse's message here has no final full stop, unlike the one for creation.
                    throw MatrixException.exclusive("This application service has not reserved this kind of alias");
                }
                // A missing alias is fine for an appservice, and the canonical alias event is left alone.
                s.directory().delete(alias);
                return;
            }
            String roomId = model.roomForAlias(alias);
            if (roomId == null) {
                throw MatrixException.notFound("Unknown room alias");
            }
            if (!r.userId().equals(s.directory().creator(alias)) && !canChangeRoomList(r.userId(), roomId)) {
                throw MatrixException.forbidden("You don't have permission to delete the alias.");
            }
            s.directory().checkMayEdit(r, alias);
            s.directory().delete(alias);
            removeFromCanonicalAlias(r.userId(), roomId, alias);
        });
        return Json.object();
    }

    /** Synapse's {@code check_can_change_room_list}: joined, with the level to send m.room.canonical_alias. */
    private boolean canChangeRoomList(String userId, String roomId) {
        Room room = model.room(roomId);
        if (room == null || !"join".equals(room.state().membership(userId))) {
            return false;
        }
        return room.state().powerLevel(userId) >= room.state().eventLevel("m.room.canonical_alias", true);
    }

    private void removeFromCanonicalAlias(String userId, String roomId, String alias) {
        Room room = model.room(roomId);
        Event current = room == null ? null : room.state().get("m.room.canonical_alias", "");
        if (current == null) {
            return;
        }
        ObjectNode content = current.content().deepCopy();
        boolean changed = false;
        if (alias.equals(content.path("alias").asText(null))) {
            content.remove("alias");
            changed = true;
        }
        JsonNode alt = content.get("alt_aliases");
        if (alt != null && alt.isArray()) {
            ArrayNode kept = Json.NODES.arrayNode();
            alt.forEach(a -> {
                if (!alias.equals(a.asText())) {
                    kept.add(a);
                }
            });
            if (kept.size() != alt.size()) {
                content.set("alt_aliases", kept);
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        try {
            model.appender().append(EventDraft.state(roomId, userId, "m.room.canonical_alias", "", content));
        } catch (MatrixException e) {
            // Synapse logs and swallows an auth failure here: the alias is gone either way.
        }
    }

    // ---- room directory -------------------------------------------------------------------------------------

    private Object visibility(Call c) {
        return model.read(() -> {
            Room room = model.room(c.param("roomId"));
            if (room == null) {
                throw MatrixException.notFound("Unknown room");
            }
            return Json.object().put("visibility", room.directoryVisibility());
        });
    }

    private Object setVisibility(Call c) {
        Requester r = c.who();
        BodyModel body = new BodyModel(c.object());
        String visibility = body.literal("visibility", "public", "public", "private");
        body.validate();
        model.write(() -> {
            Room room = model.room(c.param("roomId"));
            if (room == null) {
                throw MatrixException.unknown(400, "Unknown room");
            }
            if (!canChangeRoomList(r.userId(), room.roomId())) {
                throw MatrixException.forbidden(
                        "This server requires you to be a moderator in the room to edit its room list entry");
            }
            room.directoryVisibility(visibility);
            model.signal().bump();
        });
        return Json.object();
    }

    /** Synapse reads a PUT's body before the token; neither the network nor the room is checked. */
    private Object network(Call c, boolean put) {
        String visibility = "private";
        if (put) {
            BodyModel body = new BodyModel(c.object());
            visibility = body.literal("visibility", "public", "public", "private");
            body.validate();
        }
        Requester r = c.who();
        if (!r.isAppservice()) {
            throw MatrixException.forbidden("Only appservices can edit the appservice published room list");
        }
        boolean published = visibility.equals("public");
        model.write(() -> s.directory().setNetworkVisibility(r.appserviceId(), c.param("networkId"),
                c.param("roomId"), published));
        return Json.object();
    }
}
