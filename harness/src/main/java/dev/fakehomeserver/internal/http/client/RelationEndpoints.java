package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.TimelineReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /v1/rooms/{id}/relations/{eventId}[/{relType}[/{eventType}]]} and {@code /v1/rooms/{id}/threads}, with
 * Synapse 1.94's defaults (5 a page; relations newest first) and errors (conversations/relations). Tokens are
 * the fake's stream tokens ({@code t<n>}), the shape {@code /messages} answers with; a threads token is
 * {@code r<n>}, the stream position of the latest reply of the last thread on the previous page.
 */
public final class RelationEndpoints {
    /** A thread root and its visible replies, oldest first. */
    private record ThreadSummary(Event root, List<Event> replies) {
        long latest() {
            return replies.get(replies.size() - 1).stream();
        }
    }

    private static final String PREFIX = "/_matrix/client/v1/rooms/{roomId}/";
    private final HomeserverModel model;
    private final Relations relations;

    public RelationEndpoints(HomeserverModel model, Relations relations) {
        this.model = model;
        this.relations = relations;
    }

    public void register(RouteTable.Builder r) {
        r.add("GET", PREFIX + "relations/{eventId}", AuthMode.REQUIRED, this::relations);
        r.add("GET", PREFIX + "relations/{eventId}/{relType}", AuthMode.REQUIRED, this::relations);
        r.add("GET", PREFIX + "relations/{eventId}/{relType}/{eventType}", AuthMode.REQUIRED, this::relations);
        r.add("GET", PREFIX + "threads", AuthMode.REQUIRED, this::threads);
    }

    /** Synapse's {@code PaginationConfig.from_request}: dir, then from, then limit (negative: M_UNKNOWN). */
    private static int limit(Call c) {
        String v = c.query("limit");
        if (v == null) {
            return 5;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter 'limit' must be an integer");
        }
        if (n < 0) {
            throw MatrixException.unknown(400, "Limit must be 0 or above");
        }
        return Math.min(n, TimelineReader.MAX_LIMIT);
    }

    private Object relations(Call c) {
        String user = c.who().userId();
        boolean backwards = "b".equals(QueryParams.oneOf(c, "dir", "b", "b", "f"));
        Long from = null;
        if (c.query("from") != null) {
            try {
                from = TimelineReader.parseToken(c.query("from"));
            } catch (MatrixException e) {
                throw MatrixException.unknown(400, "'from' parameter is invalid");
            }
        }
        Long fromPos = from;
        int limit = limit(c);
        // Synapse 1.94 accepts recurse (and its unstable name) and then also follows relations of relations
        // up to 3 levels: the same here.
        boolean recurse = "true".equals(c.query("recurse")) || "true".equals(c.query("org.matrix.msc3981.recurse"));
        return model.read(() -> {
            Room room = RoomAccess.readable(model, c.param("roomId"), user, true);
            long cap = RoomAccess.visibleUpTo(room, user);
            Event parent = model.event(c.param("eventId"));
            if (parent == null || !parent.roomId().equals(room.roomId()) || parent.stream() > cap) {
                throw MatrixException.unknown(404, "Unknown parent event.");
            }
            List<Event> found = new ArrayList<>();
            collect(parent.eventId(), c.param("relType"), c.param("eventType"), recurse ? 3 : 1, cap, found);
            found.sort(Comparator.comparingLong(Event::stream));
            if (backwards) {
                java.util.Collections.reverse(found);
            }
            ArrayNode chunk = Json.NODES.arrayNode();
            Event last = null;
            boolean more = false;
            long now = model.now();
            for (Event e : found) {
                if (fromPos != null && (backwards ? e.stream() > fromPos : e.stream() <= fromPos)) {
                    continue;
                }
                if (chunk.size() == limit) {
                    more = true;
                    break;
                }
                chunk.add(relations.format(e, user, now, true));
                last = e;
            }
            ObjectNode o = Json.object();
            o.set("chunk", chunk);
            if (fromPos != null) {
                o.put("prev_batch", c.query("from"));
            }
            if (more && last != null) {
                o.put("next_batch", TimelineReader.token(backwards ? last.stream() - 1 : last.stream()));
            }
            return o;
        });
    }

    private void collect(String parentId, String relType, String eventType, int depth, long cap, List<Event> out) {
        for (Event e : relations.childrenOf(parentId)) {
            Relations.Relation rel = Relations.relation(e);
            if (e.stream() <= cap && (relType == null || rel.relType().equals(relType))
                    && (eventType == null || e.type().equals(eventType)) && !out.contains(e)) {
                out.add(e);
            }
            if (depth > 1) {
                collect(e.eventId(), relType, eventType, depth - 1, cap, out);
            }
        }
    }

    /** Thread roots ordered by their latest reply, newest first; {@code include=participated} keeps the user's. */
    private Object threads(Call c) {
        String user = c.who().userId();
        int limit = QueryParams.nonNegativeInt(c, "limit", 5);
        String fromParam = c.query("from");
        Long before = null;
        if (fromParam != null) {
            try {
                if (fromParam.length() < 2 || fromParam.charAt(0) != 'r') {
                    throw new NumberFormatException();
                }
                before = Long.parseLong(fromParam.substring(1));
            } catch (NumberFormatException e) {
                throw MatrixException.unknown(400, "Invalid threads token");
            }
        }
        Long beforePos = before;
        boolean participated = "participated".equals(QueryParams.oneOf(c, "include", "all", "all", "participated"));
        return model.read(() -> {
            Room room = RoomAccess.readable(model, c.param("roomId"), user, true);
            long cap = RoomAccess.visibleUpTo(room, user);
            List<ThreadSummary> threads = new ArrayList<>();
            for (Event e : relations.threadRoots(room)) {
                if (e.stream() > cap) {
                    continue;
                }
                List<Event> replies = relations.threadReplies(room, e.eventId(), user);
                if (replies.isEmpty()) {
                    continue;
                }
                ThreadSummary t = new ThreadSummary(e, replies);
                if (participated && !e.sender().equals(user) && replies.stream().noneMatch(r -> r.sender().equals(user))) {
                    continue;
                }
                if (beforePos == null || t.latest() < beforePos) {
                    threads.add(t);
                }
            }
            threads.sort(Comparator.comparingLong(ThreadSummary::latest).reversed());
            ArrayNode chunk = Json.NODES.arrayNode();
            long now = model.now();
            for (int i = 0; i < Math.min(limit, threads.size()); i++) {
                chunk.add(relations.format(threads.get(i).root(), user, now, true));
            }
            ObjectNode o = Json.object();
            o.set("chunk", chunk);
            if (threads.size() > limit && limit > 0) {
                o.put("next_batch", "r" + threads.get(limit - 1).latest());
            }
            return o;
        });
    }
}
