package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.Iterator;
import java.util.Map;

/**
 * Room operations shared by the client API, the control API and the injection DSL. Each builds drafts and hands
 * them to the one append path; none builds a stored event itself.
 */
public final class RoomService {
    public static final String ROOM_VERSION = "10";
    private final HomeserverModel model;
    private final Directory directory;

    public RoomService(HomeserverModel model, Directory directory) {
        this.model = model;
        this.directory = directory;
    }

    /** What {@code POST /createRoom} takes, already validated for types. */
    public record CreateRoom(String preset, String visibility, String name, String topic, java.util.List<String> invite,
                             ArrayNode initialState, String roomAliasName, boolean isDirect,
                             ObjectNode powerLevelContentOverride, ObjectNode creationContent, String roomVersion) {}

    public String createRoom(Requester r, CreateRoom req) {
        synchronized (model) {
            String creator = r.userId();
            String alias = null;
            if (req.roomAliasName() != null) {
                String n = req.roomAliasName();
                if (n.isEmpty() || n.contains(":") || n.chars().anyMatch(Character::isWhitespace)) {
                    throw MatrixException.invalidParam("Invalid characters in room alias");
                }
                alias = "#" + n + ":" + model.serverName();
                if (model.aliases.containsKey(alias)) {
                    throw MatrixException.roomInUse("Room alias already taken");
                }
                directory.checkMayEdit(r, alias);
            }
            String preset = req.preset() != null ? req.preset()
                    : "public".equals(req.visibility()) ? "public_chat" : "private_chat";
            if (!preset.equals("public_chat") && !preset.equals("private_chat") && !preset.equals("trusted_private_chat")) {
                throw MatrixException.invalidParam("Unknown preset " + preset);
            }
            String version = req.roomVersion() != null ? req.roomVersion() : ROOM_VERSION;
            String roomId = model.ids().roomId(model.serverName());
            Room room = new Room(roomId, version);
            model.rooms.put(roomId, room);
            EventAppender a = model.appender();
            ObjectNode create = req.creationContent() != null ? req.creationContent().deepCopy() : Json.object();
            if (!"11".equals(version)) {
                // Room version 11 (MSC2175) drops creator: the sender of the create event is the creator.
                create.put("creator", creator);
            }
            create.put("room_version", version);
            a.append(EventDraft.state(roomId, creator, "m.room.create", "", create));
            a.append(EventDraft.state(roomId, creator, "m.room.member", creator, memberContent(creator, "join", null)));
            a.append(EventDraft.state(roomId, creator, "m.room.power_levels", "",
                    powerLevels(creator, preset, req.invite(), req.powerLevelContentOverride())));
            if (alias != null) {
                directory.create(r, alias, roomId);
                ObjectNode c = Json.object();
                c.put("alias", alias);
                a.append(EventDraft.state(roomId, creator, "m.room.canonical_alias", "", c));
            }
            a.append(EventDraft.state(roomId, creator, "m.room.join_rules", "",
                    Json.object().put("join_rule", preset.equals("public_chat") ? "public" : "invite")));
            a.append(EventDraft.state(roomId, creator, "m.room.history_visibility", "",
                    Json.object().put("history_visibility", "shared")));
            if (!preset.equals("public_chat")) {
                a.append(EventDraft.state(roomId, creator, "m.room.guest_access", "",
                        Json.object().put("guest_access", "can_join")));
            }
            if (req.initialState() != null) {
                for (JsonNode s : req.initialState()) {
                    a.append(EventDraft.state(roomId, creator, s.path("type").asText(),
                            s.path("state_key").asText(""), (ObjectNode) s.get("content")));
                }
            }
            if (req.name() != null) {
                a.append(EventDraft.state(roomId, creator, "m.room.name", "", Json.object().put("name", req.name())));
            }
            if (req.topic() != null) {
                a.append(EventDraft.state(roomId, creator, "m.room.topic", "", Json.object().put("topic", req.topic())));
            }
            if ("public".equals(req.visibility())) {
                room.directoryVisibility("public");
            }
            if (req.invite() != null) {
                for (String invitee : req.invite()) {
                    ObjectNode c = memberContent(invitee, "invite", null);
                    if (req.isDirect()) {
                        c.put("is_direct", true);
                    }
                    appendMembership(roomId, creator, invitee, c);
                }
            }
            return roomId;
        }
    }

    private ObjectNode powerLevels(String creator, String preset, java.util.List<String> invite, ObjectNode override) {
        // The defaults Synapse's createRoom writes (synapse/handlers/room.py).
        ObjectNode pl = Json.object();
        ObjectNode users = pl.putObject("users");
        users.put(creator, 100);
        if (preset.equals("trusted_private_chat") && invite != null) {
            invite.forEach(u -> users.put(u, 100));
        }
        pl.put("users_default", 0);
        ObjectNode events = pl.putObject("events");
        events.put("m.room.name", 50);
        events.put("m.room.power_levels", 100);
        events.put("m.room.history_visibility", 100);
        events.put("m.room.canonical_alias", 50);
        events.put("m.room.avatar", 50);
        events.put("m.room.tombstone", 100);
        events.put("m.room.server_acl", 100);
        events.put("m.room.encryption", 100);
        pl.put("events_default", 0);
        pl.put("state_default", 50);
        pl.put("ban", 50);
        pl.put("kick", 50);
        pl.put("redact", 50);
        // Synapse's public_chat keeps invite at 50 (only the private presets override it to 0); the fake keeps 0
        // for every preset for now: the samples' bots invite their ghosts with level 0 (README, differences).
        pl.put("invite", 0);
        pl.put("historical", 100);
        if (override != null) {
            Iterator<Map.Entry<String, JsonNode>> it = override.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                pl.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return pl;
    }

    /** Member content with the user's profile, as Synapse fills it in. */
    public ObjectNode memberContent(String userId, String membership, String reason) {
        return model.read(() -> memberContentLocked(userId, membership, reason));
    }

    private ObjectNode memberContentLocked(String userId, String membership, String reason) {
        ObjectNode c = Json.object();
        c.put("membership", membership);
        User u = model.user(userId);
        if (u != null && ("join".equals(membership) || "invite".equals(membership) || "knock".equals(membership))) {
            if (u.displayname() != null) {
                c.put("displayname", u.displayname());
            }
            if (u.avatarUrl() != null) {
                c.put("avatar_url", u.avatarUrl());
            }
        }
        if (reason != null) {
            c.put("reason", reason);
        }
        return c;
    }

    /**
     * Creates an empty room with this id for a scene's history, which {@link #importEvent} then replays into it
     * (the first event must be its {@code m.room.create}), with its local aliases, made by {@code creator}, and
     * its directory visibility. Refused when the room id or an alias is taken, so a scene never overwrites.
     */
    public void importRoom(Requester creator, String roomId, String version, java.util.List<String> aliases,
                           boolean published) {
        synchronized (model) {
            int colon = roomId.indexOf(':');
            if (!roomId.startsWith("!") || colon < 2 || colon == roomId.length() - 1) {
                throw MatrixException.invalidParam("Not a room id (expected !opaque:server): " + roomId);
            }
            if (model.room(roomId) != null) {
                throw MatrixException.invalidParam("Room " + roomId + " already exists");
            }
            for (String alias : aliases) {
                Directory.checkAliasSyntax(alias);
                if (model.aliases.containsKey(alias)) {
                    throw MatrixException.roomInUse("Room alias " + alias + " already exists");
                }
            }
            Room room = new Room(roomId, version);
            model.rooms.put(roomId, room);
            for (String alias : aliases) {
                directory.create(creator, alias, roomId);
            }
            if (published) {
                room.directoryVisibility("public");
            }
        }
    }

    /**
     * Appends one event of a scene's history through the append path (auth rules included, so a history that
     * did not happen cannot be written), keeping the id and timestamp it had where the scene was exported; a null
     * id or timestamp gets a new one. Membership goes through {@link #appendMembership}, so invites carry stripped
     * state again.
     */
    public Event importEvent(String roomId, String eventId, String sender, String type, String stateKey,
                             ObjectNode content, Long ts) {
        if (eventId != null && (!eventId.startsWith("$") || eventId.length() < 2 || eventId.length() > 255)) {
            throw MatrixException.invalidParam("Not an event id (expected $opaque): " + eventId);
        }
        synchronized (model) {
            if ("m.room.member".equals(type) && stateKey != null) {
                return appendMembership(roomId, sender, stateKey, content, d -> d.withEventId(eventId).withTs(ts));
            }
            if (model.room(roomId) == null) {
                throw MatrixException.notFound("Unknown room " + roomId);
            }
            EventDraft d = stateKey == null ? EventDraft.message(roomId, sender, type, content)
                    : EventDraft.state(roomId, sender, type, stateKey, content);
            return model.appender().append(d.withEventId(eventId).withTs(ts));
        }
    }

    /** Appends a membership change; invites and knocks carry stripped state, as Synapse pushes them. */
    public Event appendMembership(String roomId, String sender, String target, ObjectNode content) {
        return appendMembership(roomId, sender, target, content, d -> d);
    }

    private Event appendMembership(String roomId, String sender, String target, ObjectNode content,
                                   java.util.function.UnaryOperator<EventDraft> imported) {
        synchronized (model) {
            Room room = model.room(roomId);
            if (room == null) {
                throw MatrixException.notFound("Unknown room " + roomId);
            }
            EventDraft d = EventDraft.state(roomId, sender, "m.room.member", target, content);
            String membership = content.path("membership").asText();
            if (membership.equals("invite") || membership.equals("knock")) {
                d = d.withUnsigned(strippedState(room, sender, membership + "_room_state"));
            }
            return model.appender().append(imported.apply(d));
        }
    }

    private ObjectNode strippedState(Room room, String inviter, String listKey) {
        ArrayNode list = Json.NODES.arrayNode();
        for (String[] key : new String[][] {{"m.room.join_rules", ""}, {"m.room.create", ""}, {"m.room.name", ""},
                {"m.room.avatar", ""}, {"m.room.canonical_alias", ""}, {"m.room.encryption", ""},
                {"m.room.member", inviter}}) {
            Event e = room.state().get(key[0], key[1]);
            if (e != null) {
                list.add(EventFormat.stripped(e));
            }
        }
        ObjectNode extra = Json.object();
        extra.set(listKey, list);
        return extra;
    }

    /**
     * A deactivated user's rooms: Synapse rejects its pending invites and parts it from every room it joined
     * ({@code _reject_pending_invites_for_user}, {@code _user_parter_loop}), each a leave of its own.
     */
    public void leaveAll(String userId) {
        synchronized (model) {
            for (Room room : java.util.List.copyOf(model.rooms())) {
                String membership = room.state().membership(userId);
                if ("join".equals(membership) || "invite".equals(membership)) {
                    appendMembership(room.roomId(), userId, userId, memberContentLocked(userId, "leave", null));
                }
            }
        }
    }

    /** Joins a room by id or alias; returns the room id. */
    public String join(Requester r, String roomIdOrAlias) {
        synchronized (model) {
            String roomId = roomIdOrAlias;
            if (roomIdOrAlias.startsWith("#")) {
                roomId = model.roomForAlias(roomIdOrAlias);
                if (roomId == null) {
                    throw MatrixException.notFound("Room alias " + roomIdOrAlias + " not found");
                }
            }
            Room room = model.room(roomId);
            if (room == null) {
                // Synapse would try federation; with no server to ask it answers 404 M_UNKNOWN.
                throw MatrixException.unknown(404,
                        "Can't join remote room because no servers that are in the room have been provided.");
            }
            if (!"join".equals(room.state().membership(r.userId()))) {
                appendMembership(roomId, r.userId(), r.userId(), memberContent(r.userId(), "join", null));
            }
            return roomId;
        }
    }

    /** Sends a message event, idempotent per transaction id as Synapse's transaction cache is. */
    public String send(Requester r, String roomId, String type, String txnId, String txnKey, ObjectNode content, Long ts) {
        return send(r, roomId, type, txnId, txnKey, content, ts, () -> {});
    }

    /**
     * {@link #send(Requester, String, String, String, String, ObjectNode, Long)} with a check of the client API
     * (relations) run after the transaction cache, as in Synapse: a retried transaction is answered, not refused.
     */
    public String send(Requester r, String roomId, String type, String txnId, String txnKey, ObjectNode content, Long ts,
                       Runnable check) {
        synchronized (model) {
            String cached = model.sendTxns.get(txnKey);
            if (cached != null) {
                return cached;
            }
            if (model.room(roomId) == null) {
                throw MatrixException.forbidden("Unknown room " + roomId);
            }
            // After the transaction cache, as in Synapse: a retried send is answered, not limited.
            model.messageLimiter().check(r, model.now());
            check.run();
            Event e = model.appender().append(
                    EventDraft.message(roomId, r.userId(), type, content).withTs(ts).withTxnId(txnId));
            model.sendTxns.put(txnKey, e.eventId());
            model.sync().sentFrom(e.eventId(), SyncData.scopeOf(r.userId(), r.deviceId(), r.appserviceId()));
            return e.eventId();
        }
    }

    /** Sends a message-like event without a transaction id (injected by a test); {@code ts} null: the clock's time. */
    public String sendEvent(Requester r, String roomId, String type, ObjectNode content, Long ts) {
        synchronized (model) {
            if (model.room(roomId) == null) {
                throw MatrixException.forbidden("Unknown room " + roomId);
            }
            return model.appender().append(EventDraft.message(roomId, r.userId(), type, content).withTs(ts)).eventId();
        }
    }

    /** Sets a state event; membership goes through the membership rules like any other state. */
    public String setState(Requester r, String roomId, String type, String stateKey, ObjectNode content, Long ts) {
        synchronized (model) {
            if (model.room(roomId) == null) {
                throw MatrixException.forbidden("Unknown room " + roomId);
            }
            model.messageLimiter().check(r, model.now());
            return model.appender().append(EventDraft.state(roomId, r.userId(), type, stateKey, content).withTs(ts))
                    .eventId();
        }
    }
}
