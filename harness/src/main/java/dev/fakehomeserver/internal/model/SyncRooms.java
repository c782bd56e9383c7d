package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code rooms} section of one sync answer, one room at a time, the way Synapse's {@code SyncHandler}
 * builds it: a timeline window (the newest events after {@code since}, at most the filter's limit, with
 * {@code limited} and a {@code prev_batch} that {@code /messages} reads), the state the window needs (Synapse's
 * {@code compute_state_delta}, see {@link #state}), ephemeral events, room account data and unread counts.
 * It remembers the member events it handed out in joined rooms and the rooms joined since {@code since}, from
 * which {@link SyncStream} works out presence and device lists as Synapse does. Caller holds the lock.
 */
final class SyncRooms {
    private final HomeserverModel model;
    private final SyncRequest req;
    private final long now;
    /** Member events in the joined rooms' timelines and state, as Synapse's {@code calculate_user_changes} reads them. */
    private final List<Event> memberEvents = new ArrayList<>();
    /** Rooms joined since {@code since} (none on an initial sync). */
    private final List<Room> newlyJoined = new ArrayList<>();

    /** A timeline window: its events, oldest first, and whether older matching events were left out. */
    private record Window(List<Event> events, boolean limited, long start) {}

    SyncRooms(HomeserverModel model, SyncRequest req) {
        this.model = model;
        this.req = req;
        this.now = model.now();
    }

    private boolean initial() {
        return req.since() == null;
    }

    private long sinceEvents() {
        return initial() ? -1 : req.since().events();
    }

    private long sinceOther() {
        return initial() ? -1 : req.since().other();
    }

    List<Event> memberEvents() {
        return memberEvents;
    }

    List<Room> newlyJoined() {
        return newlyJoined;
    }

    /** A joined room's entry, or null when an incremental sync has nothing new for it. */
    ObjectNode joined(Room room) {
        Event member = room.state().get("m.room.member", req.userId());
        boolean fresh = initial() || member.stream() > sinceEvents();
        long lower = fresh ? visibleFrom(room, member) - 1 : sinceEvents();
        Window w = window(room, lower, Long.MAX_VALUE);
        if (fresh && !initial()) {
            // Synapse marks the timeline of a room joined since the token limited, whatever it holds.
            w = new Window(w.events(), true, w.start());
            newlyJoined.add(room);
        }
        ArrayNode state = state(room, w, fresh || req.fullState());
        ArrayNode ephemeral = ephemeral(room);
        ArrayNode accountData = roomAccountData(room.roomId());
        if (!fresh && !req.fullState() && w.events().isEmpty() && state.isEmpty() && ephemeral.isEmpty()
                && accountData.isEmpty()) {
            return null;
        }
        ObjectNode o = Json.object();
        for (Event e : w.events()) {
            if ("m.room.member".equals(e.type())) {
                memberEvents.add(e);
            }
        }
        o.set("timeline", timeline(w));
        o.putObject("state").set("events", state);
        o.putObject("ephemeral").set("events", ephemeral);
        o.putObject("account_data").set("events", accountData);
        o.set("unread_notifications", new Notifications(model, req.userId()).unread(room));
        // Synapse computes a summary only for clients that lazy-load members; everyone else gets {}.
        o.putObject("summary");
        return o;
    }

    /** A left (or kicked, or banned) room's entry: the events up to the leave, once. */
    ObjectNode left(Room room, Event member) {
        long lower = initial() ? visibleFrom(room, member) - 1 : sinceEvents();
        Window w = window(room, lower, member.stream());
        ObjectNode o = Json.object();
        o.set("timeline", timeline(w));
        o.putObject("state").set("events", state(room, w, initial() || req.fullState()));
        o.putObject("account_data").set("events", roomAccountData(room.roomId()));
        return o;
    }

    /** An invite's entry: the stripped state the invite carries, and the invite event itself. */
    ObjectNode invited(Event member) {
        ObjectNode o = Json.object();
        o.putObject("invite_state").set("events", strippedWith(member, "invite_room_state"));
        return o;
    }

    ObjectNode knocked(Event member) {
        ObjectNode o = Json.object();
        o.putObject("knock_state").set("events", strippedWith(member, "knock_room_state"));
        return o;
    }

    private ArrayNode strippedWith(Event member, String key) {
        ArrayNode events = Json.NODES.arrayNode();
        if (member.unsignedExtra() != null && member.unsignedExtra().get(key) instanceof ArrayNode list) {
            list.forEach(events::add);
        }
        events.add(SyncEvents.format(model, member, now, null));
        return events;
    }

    /** With {@code joined} or {@code invited} history visibility, a member sees events from their membership on. */
    private static long visibleFrom(Room room, Event member) {
        Event vis = room.state().get("m.room.history_visibility", "");
        String v = vis == null ? "shared" : vis.content().path("history_visibility").asText("shared");
        return v.equals("joined") || v.equals("invited") ? member.stream() : 0;
    }

    private Window window(Room room, long lowerExclusive, long upperInclusive) {
        SyncFilter.Part f = req.filter().timeline();
        int limit = f.allowsRoom(room.roomId()) ? f.limit(SyncFilter.DEFAULT_TIMELINE_LIMIT) : 0;
        List<Event> tl = room.timeline();
        List<Event> out = new ArrayList<>();
        boolean limited = false;
        for (int i = tl.size() - 1; i >= 0; i--) {
            Event e = tl.get(i);
            if (e.stream() > upperInclusive) {
                continue;
            }
            if (e.stream() <= lowerExclusive) {
                break;
            }
            if (!f.matches(e)) {
                continue;
            }
            if (out.size() == limit) {
                limited = true;
                break;
            }
            out.add(e);
        }
        Collections.reverse(out);
        long start = out.isEmpty() ? Math.min(upperInclusive, model.appender().position()) + 1 : out.get(0).stream();
        return new Window(out, limited, start);
    }

    private ObjectNode timeline(Window w) {
        ObjectNode t = Json.object();
        ArrayNode events = t.putArray("events");
        for (Event e : w.events()) {
            events.add(SyncEvents.format(model, e, now, req.txnScope()));
        }
        t.put("limited", w.limited());
        // A /messages token just before the window: paginating back from it continues where the window ends.
        t.put("prev_batch", TimelineReader.token(w.start() - 1));
        return t;
    }

    /**
     * The state block, as Synapse 1.94's {@code compute_state_delta} and {@code _calculate_state} make it: the
     * state after the window's first event (the current state for an empty window), less every event that is
     * the window's last word on its state key (the client reads that one in the timeline), and on an
     * incremental sync less what the client had at {@code since}; nothing at all for an incremental window that
     * is not limited (the timeline holds every change). Note the two quirks that follow, kept because clients
     * see them from Synapse: the first event's own key shows the first event rather than what came before it, and
     * a state event can stand both in the state block and in the timeline when a later event of the window
     * changes the same key again.
     */
    private ArrayNode state(Room room, Window w, boolean full) {
        SyncFilter.Part f = req.filter().state();
        ArrayNode out = Json.NODES.arrayNode();
        if (!f.allowsRoom(room.roomId()) || !full && !w.limited()) {
            return out;
        }
        Map<String, Event> lastOfKey = new HashMap<>();
        for (Event e : w.events()) {
            if (e.isState()) {
                lastOfKey.put(e.type() + "\u0000" + e.stateKey(), e);
            }
        }
        long cut = w.events().isEmpty() ? w.start() : w.events().get(0).stream() + 1;
        int limit = f.limit(Integer.MAX_VALUE);
        for (Event e : stateBefore(room, cut)) {
            boolean inTimeline = lastOfKey.get(e.type() + "\u0000" + e.stateKey()) == e;
            if (!inTimeline && (full || e.stream() > sinceEvents()) && f.matches(e) && out.size() < limit) {
                out.add(SyncEvents.format(model, e, now, req.txnScope()));
                if ("m.room.member".equals(e.type()) && memberEventsFor(room)) {
                    memberEvents.add(e);
                }
            }
        }
        return out;
    }

    /** Whether the room being built is a joined one (whose member events count for presence and device lists). */
    private boolean memberEventsFor(Room room) {
        Event mine = room.state().get("m.room.member", req.userId());
        return mine != null && "join".equals(mine.membership());
    }

    /** The room's state just before stream position {@code start}: current state, rolled back where needed. */
    private static List<Event> stateBefore(Room room, long start) {
        List<Event> out = new ArrayList<>();
        Map<String, Integer> pending = new HashMap<>();
        for (Event e : room.state().all()) {
            if (e.stream() < start) {
                out.add(e);
            } else {
                pending.put(e.type() + "\u0000" + e.stateKey(), out.size());
                out.add(null);
            }
        }
        List<Event> tl = room.timeline();
        for (int i = tl.size() - 1; i >= 0 && !pending.isEmpty(); i--) {
            Event e = tl.get(i);
            if (e.stream() < start && e.isState()) {
                Integer slot = pending.remove(e.type() + "\u0000" + e.stateKey());
                if (slot != null) {
                    out.set(slot, e);
                }
            }
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    private ArrayNode ephemeral(Room room) {
        SyncFilter.Part f = req.filter().ephemeral();
        ArrayNode out = Json.NODES.arrayNode();
        if (!f.allowsRoom(room.roomId())) {
            return out;
        }
        SyncData data = model.sync();
        Ephemeral eph = model.ephemeral();
        List<String> typing = eph.typingUsers(room.roomId());
        boolean typingNews = initial() ? !typing.isEmpty() : data.typingPosition(room.roomId()) > sinceOther();
        if (typingNews && f.matches("m.typing", null)) {
            ObjectNode t = out.addObject();
            t.put("type", "m.typing");
            ArrayNode ids = t.putObject("content").putArray("user_ids");
            typing.forEach(ids::add);
        }
        ObjectNode content = Json.object();
        for (Map.Entry<String, Long> r : data.receiptPositions(room.roomId()).entrySet()) {
            String[] typeUser = r.getKey().split("\\|", 2);
            boolean mine = typeUser[1].equals(req.userId());
            if (r.getValue() <= sinceOther() || typeUser[0].equals("m.read.private") && !mine) {
                continue;
            }
            Ephemeral.Receipt receipt = eph.receipt(room.roomId(), typeUser[0], typeUser[1]);
            if (receipt != null) {
                ObjectNode one = child(child(content, receipt.eventId()), typeUser[0]).putObject(typeUser[1]);
                one.put("ts", receipt.ts());
                if (receipt.threadId() != null) {
                    one.put("thread_id", receipt.threadId());
                }
            }
        }
        if (!content.isEmpty() && f.matches("m.receipt", null)) {
            ObjectNode r = out.addObject();
            r.put("type", "m.receipt");
            r.set("content", content);
        }
        while (out.size() > f.limit(Integer.MAX_VALUE)) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private ArrayNode roomAccountData(String roomId) {
        SyncFilter.Part f = req.filter().roomAccountData();
        User u = model.user(req.userId());
        ArrayNode out = Json.NODES.arrayNode();
        if (u == null || !f.allowsRoom(roomId) || u.roomAccountData(roomId).isEmpty()) {
            return out;
        }
        // full_state: all of it, as Synapse reads account data without the token then.
        SyncEvents.accountDataEvents(model, u.roomAccountData(roomId), req.fullState() ? -1 : sinceOther(), f, out);
        return out;
    }

    private static ObjectNode child(ObjectNode parent, String key) {
        return parent.get(key) instanceof ObjectNode o ? o : parent.putObject(key);
    }
}
