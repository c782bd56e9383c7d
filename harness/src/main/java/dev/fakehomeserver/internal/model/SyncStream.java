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
        ArrayNode accountData = globalAccountData(req, sinceOther);
        ArrayNode presence = presence(req, sinceOther);
        ArrayNode toDevice = toDevice(req, sinceOther);
        ObjectNode deviceLists = deviceLists(req, leftNow);
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
        body.set("device_one_time_keys_count", data.oneTimeKeyCounts(req.userId(), req.deviceId()));
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

    /** The presence of the user and of everyone sharing a joined room with them, where it changed. */
    private ArrayNode presence(SyncRequest req, long sinceOther) {
        ArrayNode out = Json.NODES.arrayNode();
        SyncFilter.Part f = req.filter().presence();
        Set<String> users = sharingUsers(req.userId());
        int limit = f.limit(Integer.MAX_VALUE);
        for (String u : users) {
            Ephemeral.Presence p = model.ephemeral().presence(u);
            if (p == null || model.sync().presencePosition(u) <= sinceOther || !f.matches("m.presence", u)
                    || out.size() >= limit) {
                continue;
            }
            ObjectNode e = out.addObject();
            e.put("type", "m.presence");
            e.put("sender", u);
            e.set("content", model.ephemeral().presenceContent(p));
        }
        return out;
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
     * Users whose devices may have changed: those whose keys changed since {@code since}, and members who
     * joined a shared room since (everyone in a room the user just joined); {@code left}: members of rooms the
     * user just left who share no other room with them. Empty on an initial sync, as in Synapse.
     */
    private ObjectNode deviceLists(SyncRequest req, Set<String> leftRooms) {
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
        for (String roomId : model.joinedRooms(req.userId())) {
            Room room = model.room(roomId);
            Event mine = room.state().get("m.room.member", req.userId());
            if (mine.stream() > req.since().events()) {
                ch.addAll(room.state().joined());
                continue;
            }
            for (int i = room.timeline().size() - 1; i >= 0; i--) {
                Event e = room.timeline().get(i);
                if (e.stream() <= req.since().events()) {
                    break;
                }
                if ("m.room.member".equals(e.type()) && "join".equals(e.membership())) {
                    ch.add(e.stateKey());
                }
            }
        }
        ch.forEach(changed::add);
        Set<String> gone = new LinkedHashSet<>();
        for (String roomId : leftRooms) {
            for (String u : model.room(roomId).state().joined()) {
                if (!sharing.contains(u)) {
                    gone.add(u);
                }
            }
        }
        gone.forEach(left::add);
        return o;
    }
}
