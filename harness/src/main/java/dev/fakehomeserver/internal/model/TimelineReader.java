package dev.fakehomeserver.internal.model;

import dev.fakehomeserver.internal.base.MatrixException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reading room timelines as a user may see them: {@code /messages} pages, {@code /event} and {@code /context}.
 *
 * <p>Pagination tokens name a position <em>between</em> events: {@code t<n>} lies after the event at stream
 * position {@code n}. They stay valid forever (stream positions only grow, even across resets) and carry no
 * state. {@code s<n>} tokens, the shape of sync's {@code next_batch}, are read the same way.
 *
 * <p>Visibility, simplified from Synapse's {@code filter_events_for_client} for the default
 * {@code history_visibility: shared}: a joined user sees the whole history; a user who left or was banned sees
 * it up to that membership event; anyone else gets 403, unless the room is {@code world_readable}.
 */
public final class TimelineReader {
    /** Synapse's cap on {@code limit}. */
    public static final int MAX_LIMIT = 1000;
    private final HomeserverModel model;

    /**
     * One page of {@code /messages}.
     *
     * @param end null when no further events are available in that direction
     */
    public record Page(List<Event> chunk, String start, String end) {}

    /** The answer of {@code /context}. */
    public record Context(Event event, List<Event> before, List<Event> after, String start, String end,
                          Collection<Event> state) {}

    public TimelineReader(HomeserverModel model) {
        this.model = model;
    }

    public static String token(long position) {
        return "t" + position;
    }

    /** Reads a token: 400 {@code M_UNKNOWN} "Invalid stream token", as Synapse answers. */
    public static long parseToken(String token) {
        int i = 1;
        if (token.length() < 2 || (token.charAt(0) != 't' && token.charAt(0) != 's')) {
            throw MatrixException.unknown(400, "Invalid stream token");
        }
        while (i < token.length() && Character.isDigit(token.charAt(i))) {
            i++;
        }
        try {
            return Long.parseLong(token.substring(1, i));
        } catch (NumberFormatException e) {
            throw MatrixException.unknown(400, "Invalid stream token");
        }
    }

    /** The highest stream position the user may see in the room, or -1 when none. Caller holds the lock. */
    private static long visibleUpTo(Room room, String userId) {
        Event vis = room.state().get("m.room.history_visibility", "");
        if (vis != null && "world_readable".equals(vis.content().path("history_visibility").asText())) {
            return Long.MAX_VALUE;
        }
        Event member = room.state().get("m.room.member", userId);
        String m = member == null ? null : member.membership();
        if ("join".equals(m)) {
            return Long.MAX_VALUE;
        }
        if ("leave".equals(m) || "ban".equals(m)) {
            return member.stream();
        }
        return -1;
    }

    private Room readableRoom(String roomId, String userId) {
        Room room = model.room(roomId);
        if (room == null || visibleUpTo(room, userId) < 0) {
            throw MatrixException.forbidden("User " + userId + " not in room " + roomId
                    + ", and room previews are disabled");
        }
        return room;
    }

    /** A page of events from {@code from} (default: the newest, or the oldest going forwards) up to {@code to}. */
    public Page messages(String roomId, String userId, String from, String to, boolean backwards, int limit,
                         EventFilter filter) {
        synchronized (model) {
            Room room = readableRoom(roomId, userId);
            long cap = visibleUpTo(room, userId);
            long fromPos = from != null ? parseToken(from) : backwards ? model.appender().position() : 0;
            Long toPos = to == null ? null : parseToken(to);
            int n = filter.limit() == null ? limit : Math.min(limit, filter.limit());
            List<Event> tl = room.timeline();
            List<Event> chunk = new ArrayList<>();
            boolean more = false;
            for (int k = 0; k < tl.size(); k++) {
                Event e = tl.get(backwards ? tl.size() - 1 - k : k);
                long p = e.stream();
                boolean inRange = backwards ? p <= fromPos && (toPos == null || p > toPos)
                        : p > fromPos && (toPos == null || p <= toPos);
                if (!inRange || p > cap || !filter.matches(e)) {
                    continue;
                }
                if (chunk.size() == n) {
                    more = true;
                    break;
                }
                chunk.add(e);
            }
            // The spec (v1.3+) omits end when nothing more is available; Synapse 1.94 still sent one with every
            // non-empty chunk, so a client loop ends one request later there. Either way an empty chunk ends it.
            String end = !more || chunk.isEmpty() ? null
                    : token(backwards ? chunk.get(chunk.size() - 1).stream() - 1 : chunk.get(chunk.size() - 1).stream());
            return new Page(chunk, token(fromPos), end);
        }
    }

    /**
     * One event the user may see: 404 {@code M_NOT_FOUND} when it is not in that room, 403 when the user may not
     * see it (Synapse's {@code EventHandler.get_event}).
     */
    public Event event(String roomId, String userId, String eventId) {
        synchronized (model) {
            Event e = model.event(eventId);
            if (e == null || !e.roomId().equals(roomId)) {
                throw MatrixException.notFound("Event not found.");
            }
            if (e.stream() > visibleUpTo(model.room(roomId), userId)) {
                throw MatrixException.forbidden("You don't have permission to access that event.");
            }
            return e;
        }
    }

    /** An event with up to {@code limit} events around it, half before and half after, as Synapse splits. */
    public Context context(String roomId, String userId, String eventId, int limit, EventFilter filter) {
        synchronized (model) {
            Room room = readableRoom(roomId, userId);
            long cap = visibleUpTo(room, userId);
            Event target = model.event(eventId);
            if (target == null || !target.roomId().equals(roomId) || target.stream() > cap) {
                throw MatrixException.notFound("Event not found.");
            }
            int n = filter.limit() == null ? limit : Math.min(limit, filter.limit());
            int beforeLimit = n / 2;
            Page before = messages(roomId, userId, token(target.stream() - 1), null, true, beforeLimit, filter);
            Page after = messages(roomId, userId, token(target.stream()), null, false, n - beforeLimit, filter);
            List<Event> b = beforeLimit == 0 ? List.of() : before.chunk();
            List<Event> a = after.chunk();
            String start = token((b.isEmpty() ? target.stream() : b.get(b.size() - 1).stream()) - 1);
            String end = token(a.isEmpty() ? target.stream() : a.get(a.size() - 1).stream());
            return new Context(target, b, a, start, end, room.state().all());
        }
    }
}
