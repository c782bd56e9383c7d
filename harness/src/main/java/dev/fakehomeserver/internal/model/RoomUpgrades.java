package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /rooms/{roomId}/upgrade} as Synapse 1.94's {@code RoomCreationHandler.upgrade_room} does it, every
 * event through the one append path: a tombstone in the old room (which checks the upgrader's membership and
 * power first, so a refused upgrade creates nothing); a new room whose create event names its predecessor;
 * the copied state (join rules, name, topic, history visibility, guest access, avatar, encryption, server ACL,
 * power levels, and for a space its children), with the upgrader raised to the level needed to copy it and put
 * back afterwards; the bans; the local aliases and the canonical alias moved; the directory listing moved; and
 * in the old room {@code invite} and {@code events_default} raised to {@code max(50, users_default + 1)}.
 *
 * <p>Synapse answers a repeated upgrade of the same room by the same user from a response cache (5 minutes)
 * with the first replacement whatever the new version asked; the fake remembers that answer while the
 * replacement room exists.
 */
public final class RoomUpgrades {
    private static final String[] COPIED = {"m.room.join_rules", "m.room.name", "m.room.topic",
        "m.room.history_visibility", "m.room.guest_access", "m.room.avatar", "m.room.encryption",
        "m.room.server_acl"};
    private final HomeserverModel model;
    private final RoomService rooms;
    /** {@code "<old room>|<user>"} to the replacement; guarded by the model's lock. */
    private final Map<String, String> answered = new HashMap<>();

    public RoomUpgrades(HomeserverModel model, RoomService rooms) {
        this.model = model;
        this.rooms = rooms;
    }

    /** Upgrades; {@code newVersion} is already checked to be a known version. Returns the replacement's id. */
    public String upgrade(Requester r, String oldRoomId, String newVersion) {
        synchronized (model) {
            String user = r.userId();
            String cached = answered.get(oldRoomId + "|" + user);
            if (cached != null && model.room(cached) != null) {
                return cached;
            }
            Room old = model.room(oldRoomId);
            if (old == null) {
                throw MatrixException.notFound("Unknown room id " + oldRoomId);
            }
            String newId = model.ids().roomId(model.serverName());
            EventAppender a = model.appender();
            Event oldPl = old.state().get("m.room.power_levels", "");
            Event tombstone = a.append(EventDraft.state(oldRoomId, user, "m.room.tombstone", "",
                    Json.object().put("body", "This room has been replaced").put("replacement_room", newId)));

            Room room = new Room(newId, newVersion);
            model.rooms.put(newId, room);
            Event oldCreate = old.state().get("m.room.create", "");
            ObjectNode create = Json.object();
            if (!"11".equals(newVersion)) {
                create.put("creator", user);
            }
            create.put("room_version", newVersion);
            create.putObject("predecessor").put("room_id", oldRoomId).put("event_id", tombstone.eventId());
            if (oldCreate != null && oldCreate.content().path("m.federate").isBoolean()
                    && !oldCreate.content().get("m.federate").asBoolean()) {
                create.put("m.federate", false);
            }
            JsonNode roomType = oldCreate == null ? null : oldCreate.content().get("type");
            if (roomType != null && !roomType.isNull()) {
                create.set("type", roomType);
            }
            a.append(EventDraft.state(newId, user, "m.room.create", "", create));
            a.append(EventDraft.state(newId, user, "m.room.member", user, rooms.memberContent(user, "join", null)));

            ObjectNode pl = oldPl == null ? Json.object() : oldPl.content().deepCopy();
            boolean raised = raiseUpgrader(pl, user);
            a.append(EventDraft.state(newId, user, "m.room.power_levels", "", pl));
            for (String type : COPIED) {
                Event e = old.state().get(type, "");
                if (e != null) {
                    a.append(EventDraft.state(newId, user, type, "", e.content().deepCopy()));
                }
            }
            // The private_chat defaults of _send_events_for_new_room, for what the old room did not have.
            defaultState(room, user, "m.room.join_rules", Json.object().put("join_rule", "invite"));
            defaultState(room, user, "m.room.history_visibility", Json.object().put("history_visibility", "shared"));
            defaultState(room, user, "m.room.guest_access", Json.object().put("guest_access", "can_join"));
            if (roomType != null && "m.space".equals(roomType.asText())) {
                for (Event child : old.state().ofType("m.space.child")) {
                    if (!child.content().isEmpty()) {
                        a.append(EventDraft.state(newId, user, "m.space.child", child.stateKey(), child.content().deepCopy()));
                    }
                }
            }
            List<Event> bans = new ArrayList<>();
            for (Event m : old.state().ofType("m.room.member")) {
                if ("ban".equals(m.membership())) {
                    bans.add(m);
                }
            }
            for (Event ban : bans) {
                rooms.appendMembership(newId, user, ban.stateKey(), ban.content().deepCopy());
            }
            moveAliases(old, room, user);
            if ("public".equals(old.directoryVisibility())) {
                room.directoryVisibility("public");
                old.directoryVisibility("private");
            }
            restrictOldRoom(old, user);
            if (raised && oldPl != null) {
                a.append(EventDraft.state(newId, user, "m.room.power_levels", "", oldPl.content().deepCopy()));
            }
            answered.put(oldRoomId + "|" + user, newId);
            return newId;
        }
    }

    private void defaultState(Room room, String user, String type, ObjectNode content) {
        if (room.state().get(type, "") == null) {
            model.appender().append(EventDraft.state(room.roomId(), user, type, "", content));
        }
    }

    /** Gives the upgrader the level needed to send every copied event, as clone_existing_room does. */
    private static boolean raiseUpgrader(ObjectNode pl, String user) {
        long needed = Math.max(pl.path("state_default").asLong(50), pl.path("ban").asLong(50));
        for (JsonNode v : pl.path("events")) {
            needed = Math.max(needed, v.asLong(0));
        }
        ObjectNode users = pl.has("users") && pl.get("users").isObject() ? (ObjectNode) pl.get("users") : pl.putObject("users");
        long current = users.path(user).asLong(pl.path("users_default").asLong(0));
        if (current < needed) {
            users.put(user, needed);
            return true;
        }
        return false;
    }

    /** Local aliases now point at the new room; the canonical alias moves (the old room's becomes empty). */
    private void moveAliases(Room old, Room room, String user) {
        for (String alias : List.copyOf(old.aliases())) {
            model.aliases.put(alias, room.roomId());
            old.removeAlias(alias);
            room.addAlias(alias);
        }
        Event canonical = old.state().get("m.room.canonical_alias", "");
        if (canonical != null && !canonical.content().isEmpty()) {
            model.appender().append(EventDraft.state(old.roomId(), user, "m.room.canonical_alias", "", Json.object()));
            model.appender().append(EventDraft.state(room.roomId(), user, "m.room.canonical_alias", "",
                    canonical.content().deepCopy()));
        }
    }

    /** Synapse's _update_upgraded_room_pls: only people with power may still invite or talk in the old room. */
    private void restrictOldRoom(Room old, String user) {
        Event plEvent = old.state().get("m.room.power_levels", "");
        if (plEvent == null) {
            return;
        }
        ObjectNode pl = plEvent.content().deepCopy();
        long restricted = Math.max(pl.path("users_default").asLong(0) + 1, 50);
        boolean updated = false;
        for (String key : new String[] {"invite", "events_default"}) {
            if (pl.path(key).asLong(0) < restricted) {
                pl.put(key, restricted);
                updated = true;
            }
        }
        if (updated) {
            try {
                model.appender().append(EventDraft.state(old.roomId(), user, "m.room.power_levels", "", pl));
            } catch (MatrixException e) {
                // Synapse logs "Unable to update PLs in old room" and carries on: the upgrade has happened.
            }
        }
    }
}
