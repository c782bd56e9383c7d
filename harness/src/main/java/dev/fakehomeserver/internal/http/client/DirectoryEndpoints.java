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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
        r.client("GET", "/directory/room/{roomAlias}", AuthMode.NONE, this::resolve);
        r.client("PUT", "/directory/room/{roomAlias}", AuthMode.REQUIRED, this::createAlias);
        r.client("DELETE", "/directory/room/{roomAlias}", AuthMode.REQUIRED, this::deleteAlias);
        r.client("GET", "/directory/list/room/{roomId}", AuthMode.NONE, this::visibility);
        r.client("PUT", "/directory/list/room/{roomId}", AuthMode.REQUIRED, this::setVisibility);
        r.client("PUT", "/directory/list/appservice/{networkId}/{roomId}", AuthMode.REQUIRED, c -> network(c, true));
        r.client("DELETE", "/directory/list/appservice/{networkId}/{roomId}", AuthMode.REQUIRED,
                c -> network(c, false));
        // Synapse 1.94 with its default config (allow_public_rooms_without_auth: false) wants a token here.
        r.client("GET", "/publicRooms", AuthMode.REQUIRED, this::publicRoomsGet);
        r.client("POST", "/publicRooms", AuthMode.REQUIRED, this::publicRoomsPost);
    }

    // ---- aliases ------------------------------------------------------------------------------------------

    /**
     * Resolves an alias. A missing local alias is first asked of the appservices (their answer only matters in
     * that they may have created it meanwhile), then read again: the endpoint returns that stage, never blocks.
     */
    private Object resolve(Call c) {
        String alias = c.param("roomAlias");
        Directory.checkAliasSyntax(alias);
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

    private Object createAlias(Call c) {
        String alias = c.param("roomAlias");
        Directory.checkAliasSyntax(alias);
        String roomId = c.string("room_id");
        Requester r = c.who();
        model.write(() -> {
            // Synapse checks the room before anything about the requester (even before auth; here auth runs first).
            if (model.room(roomId) == null) {
                throw MatrixException.unknown(400, "Room does not exist");
            }
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
        String alias = c.param("roomAlias");
        Directory.checkAliasSyntax(alias);
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
        String visibility = c.optString("visibility") == null ? "public" : c.optString("visibility");
        if (!visibility.equals("public") && !visibility.equals("private")) {
            throw MatrixException.invalidParam("Invalid visibility setting");
        }
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

    private Object network(Call c, boolean put) {
        Requester r = c.who();
        if (!r.isAppservice()) {
            throw MatrixException.forbidden("Only appservices can edit the appservice published room list");
        }
        boolean published = !put || !"private".equals(c.optString("visibility"));
        model.write(() -> {
            s.directory().setNetworkVisibility(r.appserviceId(), c.param("networkId"), c.param("roomId"),
                    put && published);
        });
        return Json.object();
    }

    // ---- public room lists ----------------------------------------------------------------------------------

    private Object publicRoomsGet(Call c) {
        c.who();
        Integer limit = c.query("limit") == null ? null : parseInt(c.query("limit"), "limit");
        boolean all = "true".equals(c.query("include_all_networks"));
        return publicRooms(limit, c.query("since"), null, all, c.query("third_party_instance_id"));
    }

    private Object publicRoomsPost(Call c) {
        c.who();
        ObjectNode b = c.object();
        JsonNode l = b.get("limit");
        if (l != null && !l.isNull() && !l.canConvertToInt()) {
            throw MatrixException.badJson("'limit' must be an integer");
        }
        Integer limit = l == null || l.isNull() ? null : l.asInt();
        String term = b.path("filter").path("generic_search_term").isTextual()
                ? b.path("filter").get("generic_search_term").asText() : null;
        return publicRooms(limit, c.optString("since"), term, c.optBool("include_all_networks", false),
                c.optString("third_party_instance_id"));
    }

    private Object publicRooms(Integer limit, String since, String term, boolean allNetworks, String instanceId) {
        String network = null;
        if (allNetworks) {
            if (instanceId != null) {
                throw MatrixException.unknown(400, "Can't use include_all_networks with an explicit network");
            }
        } else if (instanceId != null) {
            // ThirdPartyInstanceID.from_string: exactly "<appservice id>|<network id>".
            if (instanceId.split("\\|", -1).length != 2) {
                throw MatrixException.unknown(400, "Invalid ID '" + instanceId + "'");
            }
            network = instanceId;
        }
        int offset = since == null ? 0 : parseInt(since, "since");
        String listed = network;
        List<ObjectNode> rooms = model.read(() -> {
            List<ObjectNode> found = new ArrayList<>();
            for (String id : s.directory().publishedRoomIds(listed, allNetworks)) {
                ObjectNode entry = entry(model.room(id));
                if (term == null || matches(entry, term)) {
                    found.add(entry);
                }
            }
            return found;
        });
        // Synapse orders by joined members, most first.
        rooms.sort(Comparator.comparingInt((ObjectNode o) -> -o.get("num_joined_members").asInt())
                .thenComparing(o -> o.get("room_id").asText()));
        ObjectNode out = Json.object();
        ArrayNode chunk = out.putArray("chunk");
        int end = limit == null ? rooms.size() : Math.min(rooms.size(), offset + Math.max(0, limit));
        for (int i = Math.min(offset, rooms.size()); i < end; i++) {
            chunk.add(rooms.get(i));
        }
        if (end < rooms.size()) {
            out.put("next_batch", Integer.toString(end));
        }
        if (offset > 0) {
            out.put("prev_batch", Integer.toString(Math.max(0, offset - (limit == null ? 0 : limit))));
        }
        out.put("total_room_count_estimate", rooms.size());
        return out;
    }

    private static ObjectNode entry(Room room) {
        ObjectNode o = Json.object();
        o.put("room_id", room.roomId());
        String name = stateString(room, "m.room.name", "name");
        if (name != null) {
            o.put("name", name);
        }
        String topic = stateString(room, "m.room.topic", "topic");
        if (topic != null) {
            o.put("topic", topic);
        }
        String canonical = stateString(room, "m.room.canonical_alias", "alias");
        if (canonical != null) {
            o.put("canonical_alias", canonical);
        }
        String avatar = stateString(room, "m.room.avatar", "url");
        if (avatar != null) {
            o.put("avatar_url", avatar);
        }
        o.put("num_joined_members", room.state().joined().size());
        o.put("world_readable", "world_readable".equals(stateString(room, "m.room.history_visibility",
                "history_visibility")));
        o.put("guest_can_join", "can_join".equals(stateString(room, "m.room.guest_access", "guest_access")));
        o.put("join_rule", room.state().joinRule());
        return o;
    }

    private static String stateString(Room room, String type, String field) {
        Event e = room.state().get(type, "");
        return e == null || !e.content().path(field).isTextual() ? null : e.content().get(field).asText();
    }

    private static boolean matches(ObjectNode entry, String term) {
        String t = term.toLowerCase(Locale.ROOT);
        for (String f : new String[] {"name", "topic", "canonical_alias"}) {
            if (entry.has(f) && entry.get(f).asText().toLowerCase(Locale.ROOT).contains(t)) {
                return true;
            }
        }
        return false;
    }

    private static int parseInt(String v, String name) {
        try {
            int i = Integer.parseInt(v);
            if (i < 0) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Invalid " + name + ": " + v);
        }
    }
}
