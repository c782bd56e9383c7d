package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which events notify a user, simpler than Synapse's evaluation of the push rules (which the fake stores but
 * does not run): messages and encrypted messages from others, not notices, since the user's membership; a
 * highlight when the body names the user (localpart or display name) or says {@code @room}. Unread counts
 * ({@code /sync}) and {@code GET /notifications} both read it. Caller holds the model's lock.
 */
public final class Notifications {
    private final HomeserverModel model;
    private final String userId;
    private final Set<String> names = new HashSet<>();

    public Notifications(HomeserverModel model, String userId) {
        this.model = model;
        this.userId = userId;
        names.add(userId.substring(1, userId.indexOf(':')).toLowerCase(Locale.ROOT));
        User u = model.user(userId);
        if (u != null && u.displayname() != null && !u.displayname().isBlank()) {
            names.add(u.displayname().toLowerCase(Locale.ROOT));
        }
        names.add("@room");
    }

    public boolean notifies(Event e) {
        boolean message = e.type().equals("m.room.message") || e.type().equals("m.room.encrypted");
        return message && !e.sender().equals(userId) && !"m.notice".equals(e.content().path("msgtype").asText());
    }

    public boolean highlights(Event e) {
        String body = e.content().path("body").asText("").toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(body::contains);
    }

    /** The stream position up to which the user has read the room: their receipt, or their membership. */
    public long readUpTo(Room room) {
        Event member = room.state().get("m.room.member", userId);
        long from = member == null ? Long.MAX_VALUE : member.stream();
        for (String type : List.of("m.read", "m.read.private")) {
            Ephemeral.Receipt r = model.ephemeral().receipt(room.roomId(), type, userId);
            Event read = r == null ? null : model.event(r.eventId());
            if (read != null) {
                from = Math.max(from, read.stream());
            }
        }
        return from;
    }

    /** {@code unread_notifications}: what notifies after the read position. */
    public ObjectNode unread(Room room) {
        long from = readUpTo(room);
        int notes = 0;
        int highlights = 0;
        List<Event> tl = room.timeline();
        for (int i = tl.size() - 1; i >= 0 && tl.get(i).stream() > from; i--) {
            Event e = tl.get(i);
            if (notifies(e)) {
                notes++;
                highlights += highlights(e) ? 1 : 0;
            }
        }
        ObjectNode o = Json.object();
        o.put("notification_count", notes);
        o.put("highlight_count", highlights);
        return o;
    }

    /**
     * {@code GET /notifications}: the newest notifying events before stream position {@code before}, across
     * the user's joined rooms, in Synapse's shape; {@code next_token} is the last one's position.
     */
    public ObjectNode list(long before, int limit, boolean onlyHighlights) {
        java.util.List<Event> found = new java.util.ArrayList<>();
        for (String roomId : model.joinedRooms(userId)) {
            Room room = model.room(roomId);
            Event member = room.state().get("m.room.member", userId);
            for (int i = room.timeline().size() - 1; i >= 0; i--) {
                Event e = room.timeline().get(i);
                if (e.stream() <= member.stream()) {
                    break;
                }
                if (e.stream() < before && notifies(e) && (!onlyHighlights || highlights(e))) {
                    found.add(e);
                }
            }
        }
        found.sort((a, b) -> Long.compare(b.stream(), a.stream()));
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("notifications");
        long now = model.now();
        for (Event e : found.subList(0, Math.min(limit, found.size()))) {
            ObjectNode n = list.addObject();
            ArrayNode actions = n.putArray("actions");
            actions.add("notify");
            if (highlights(e)) {
                actions.addObject().put("set_tweak", "highlight");
            } else {
                actions.addObject().put("set_tweak", "highlight").put("value", false);
            }
            n.set("event", EventFormat.client(e, now));
            n.putNull("profile_tag");
            n.put("read", e.stream() <= readUpTo(model.room(e.roomId())));
            n.put("room_id", e.roomId());
            n.put("ts", e.originServerTs());
        }
        if (list.isEmpty()) {
            out.putNull("next_token");
        } else {
            out.put("next_token", Long.toString(found.get(list.size() - 1).stream()));
        }
        return out;
    }
}
