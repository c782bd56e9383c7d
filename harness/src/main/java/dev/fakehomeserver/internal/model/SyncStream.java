package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One user's sync stream: builds the answer of {@code GET /sync} from a token, as one consistent moment of the
 * model. Every section is present even when empty (clients index into them without checks); Synapse leaves
 * empty top-level sections out, which clients that handle Synapse handle here too.
 *
 * <p>Tokens are {@code s<events>_<other>}: the append path's stream position and {@link SyncData}'s position of
 * everything else. {@code /messages} reads the {@code s<events>} prefix, as Synapse's tokens also work there.
 */
public final class SyncStream {
    private final HomeserverModel model;

    /**
     * One answer.
     *
     * @param hasNews whether an incremental sync found anything new (a held sync waits while it has not)
     */
    public record Result(ObjectNode body, boolean hasNews) {}

    public SyncStream(HomeserverModel model) {
        this.model = model;
    }

    /** The position a sync answered now would hand out. */
    public SyncToken now() {
        return model.read(() -> new SyncToken(model.appender().position(), model.sync().position()));
    }

    public Result sync(SyncRequest req) {
        return model.read(() -> build(req));
    }

    private Result build(SyncRequest req) {
        SyncData data = model.sync();
        long sinceOther = req.since() == null ? -1 : req.since().other();
        SyncRooms rooms = new SyncRooms(model, req);
        ObjectNode body = Json.object();
        ObjectNode join = Json.object();
        ObjectNode invite = Json.object();
        ObjectNode leave = Json.object();
        ObjectNode knock = Json.object();
        Set<String> leftNow = new LinkedHashSet<>();
        for (String roomId : data.roomsWithMembership(req.userId())) {
            Room room = model.room(roomId);
            Event member = room == null ? null : room.state().get("m.room.member", req.userId());
            if (member == null || !req.filter().allowsRoom(roomId)) {
                continue;
            }
            boolean changed = req.since() == null || member.stream() > req.since().events();
            switch (String.valueOf(member.membership())) {
                case "join" -> {
                    ObjectNode entry = rooms.joined(room);
                    if (entry != null) {
                        join.set(roomId, entry);
                    }
                }
                case "invite" -> {
                    if (changed) {
                        invite.set(roomId, rooms.invited(member));
                    }
                }
                case "knock" -> {
                    if (changed) {
                        knock.set(roomId, rooms.knocked(member));
                    }
                }
                case "leave", "ban" -> {
                    boolean wanted = req.since() == null ? req.filter().includeLeave() : changed;
                    if (wanted && !room.forgottenBy().contains(req.userId())) {
                        leave.set(roomId, rooms.left(room, member));
                        leftNow.add(roomId);
                    }
                }
                default -> { }
            }
        }
        // full_state sends all account data and presence, as an initial sync does (Synapse drops the token there).
        long sinceAll = req.fullState() ? -1 : sinceOther;
        ArrayNode accountData = globalAccountData(req, sinceAll);
        UserChanges changes = userChanges(req, rooms);
        ArrayNode presence = presence(req, sinceAll, changes);
        ArrayNode toDevice = toDevice(req, sinceOther);
        ObjectNode deviceLists = deviceLists(req, leftNow, changes);
        boolean news = !join.isEmpty() || !invite.isEmpty() || !leave.isEmpty() || !knock.isEmpty()
                || !accountData.isEmpty() || !presence.isEmpty() || !toDevice.isEmpty()
                || !deviceLists.path("changed").isEmpty() || !deviceLists.path("left").isEmpty();
        body.put("next_batch", new SyncToken(model.appender().position(), data.position()).toString());
        ObjectNode r = body.putObject("rooms");
        r.set("join", join);
        r.set("invite", invite);
        r.set("leave", leave);
        r.set("knock", knock);
        body.putObject("presence").set("events", presence);
        body.putObject("account_data").set("events", accountData);
        body.putObject("to_device").set("events", toDevice);
        body.set("device_lists", deviceLists);
        // No device (an appservice user syncing without one): Synapse counts nothing, not even a 0.
        body.set("device_one_time_keys_count", req.deviceId() == null ? Json.object()
                : data.oneTimeKeyCounts(req.userId(), req.deviceId()));
        ArrayNode fallback = Json.NODES.arrayNode();
        if (req.deviceId() != null) {
            data.fallbackKeys(req.userId(), req.deviceId()).keySet()
                    .forEach(id -> fallback.add(id.substring(0, Math.max(0, id.indexOf(':')))));
        }
        body.set("device_unused_fallback_key_types", fallback);
        body.set("org.matrix.msc2732.device_unused_fallback_key_types", fallback.deepCopy());
        return new Result(body, req.since() == null || news);
    }

    private ArrayNode globalAccountData(SyncRequest req, long sinceOther) {
        ArrayNode out = Json.NODES.arrayNode();
        User u = model.user(req.userId());
        SyncFilter.Part f = req.filter().accountData();
        if (u != null) {
            SyncEvents.accountDataEvents(model, u.accountData(), sinceOther, f, out);
        }
        SyncData data = model.sync();
        if ((sinceOther < 0 || data.pushRulesPosition(req.userId()) > sinceOther) && f.matches("m.push_rules", null)
                && out.size() < f.limit(Integer.MAX_VALUE)) {
            ObjectNode e = out.addObject();
            e.put("type", "m.push_rules");
            e.set("content", data.pushRules(req.userId()).deepCopy());
        }
        return out;
    }

    /**
     * Who joined or left around the user, as Synapse's {@code calculate_user_changes} reads it from the member
     * events this sync hands out in joined rooms (timelines and state), on an incremental sync only: users who
     * joined, were invited or knocked; users who left or were banned after being joined (less the first set);
     * and everyone in a room the user joined since the token.
     */
    private record UserChanges(Set<String> joinedOrInvited, Set<String> left, Set<String> inNewRooms) {}

    private UserChanges userChanges(SyncRequest req, SyncRooms rooms) {
        Set<String> joined = new LinkedHashSet<>();
        Set<String> left = new LinkedHashSet<>();
        Set<String> inNew = new LinkedHashSet<>();
        if (req.since() != null) {
            for (Event e : rooms.memberEvents()) {
                String m = String.valueOf(e.membership());
                if (m.equals("join") || m.equals("invite") || m.equals("knock")) {
                    joined.add(e.stateKey());
                } else if (e.prevContent() != null && "join".equals(e.prevContent().path("membership").asText(null))) {
                    left.add(e.stateKey());
                }
            }
            left.removeAll(joined);
            for (Room room : rooms.newlyJoined()) {
                inNew.addAll(room.state().joined());
            }
        }
        return new UserChanges(joined, left, inNew);
    }

    /**
     * Presence as Synapse's {@code _generate_sync_entry_for_presence}: of the user and everyone sharing a joined
     * room, where it changed since the token (on an initial or full-state sync, all of it but {@code offline});
     * then the current presence, {@code offline} when unknown, of the users who joined or were invited around
     * the user since the token and of everyone in the rooms the user joined since, whatever its position.
     */
    private ArrayNode presence(SyncRequest req, long sinceOther, UserChanges changes) {
        SyncFilter.Part f = req.filter().presence();
        Map<String, ObjectNode> byUser = new java.util.LinkedHashMap<>();
        for (String u : sharingUsers(req.userId())) {
            Ephemeral.Presence p = model.ephemeral().presence(u);
            if (p == null || model.sync().presencePosition(u) <= sinceOther
                    || sinceOther < 0 && p.presence().equals("offline")) {
                continue;
            }
            byUser.put(u, presenceEvent(u, p));
        }
        Set<String> extra = new LinkedHashSet<>(changes.joinedOrInvited());
        extra.addAll(changes.inNewRooms());
        extra.remove(req.userId());
        for (String u : extra) {
            byUser.put(u, presenceEvent(u, model.ephemeral().presence(u)));
        }
        ArrayNode out = Json.NODES.arrayNode();
        int limit = f.limit(Integer.MAX_VALUE);
        byUser.forEach((u, e) -> {
            if (f.matches("m.presence", u) && out.size() < limit) {
                out.add(e);
            }
        });
        return out;
    }

    private ObjectNode presenceEvent(String userId, Ephemeral.Presence p) {
        ObjectNode e = Json.object();
        e.put("type", "m.presence");
        e.put("sender", userId);
        e.set("content", model.ephemeral().presenceContent(p));
        return e;
    }

    private Set<String> sharingUsers(String userId) {
        Set<String> users = new LinkedHashSet<>();
        users.add(userId);
        for (String roomId : model.joinedRooms(userId)) {
            Room room = model.room(roomId);
            if (room != null) {
                users.addAll(room.state().joined());
            }
        }
        return users;
    }

    private ArrayNode toDevice(SyncRequest req, long sinceOther) {
        ArrayNode out = Json.NODES.arrayNode();
        if (req.deviceId() != null) {
            model.sync().toDevice(req.userId(), req.deviceId(), sinceOther).forEach(t -> out.add(t.event()));
        }
        return out;
    }

    /**
     * Synapse's {@code _generate_sync_entry_for_device_list}: {@code changed} holds the users sharing a room
     * (and the user) whose keys changed since the token, the users who joined or were invited around the user
     * (from the member events handed out) and everyone in a room joined since; {@code left} the users seen
     * leaving and the members of rooms the user left, less anyone still sharing a joined room. Empty on an
     * initial sync.
     */
    private ObjectNode deviceLists(SyncRequest req, Set<String> leftRooms, UserChanges changes) {
        ObjectNode o = Json.object();
        ArrayNode changed = o.putArray("changed");
        ArrayNode left = o.putArray("left");
        if (req.since() == null) {
            return o;
        }
        Set<String> ch = new LinkedHashSet<>();
        Set<String> sharing = sharingUsers(req.userId());
        for (String u : sharing) {
            if (model.sync().keysChangedPosition(u) > req.since().other()) {
                ch.add(u);
            }
        }
        ch.addAll(changes.joinedOrInvited());
        ch.addAll(changes.inNewRooms());
        ch.forEach(changed::add);
        Set<String> gone = new LinkedHashSet<>(changes.left());
        for (String roomId : leftRooms) {
            gone.addAll(model.room(roomId).state().joined());
        }
        gone.removeAll(sharing);
        gone.forEach(left::add);
        return o;
    }
}
