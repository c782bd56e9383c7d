package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.EventFormat;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event relations ({@code content["m.relates_to"]}): an index from a parent event to the events relating to it,
 * Synapse's checks on sending a relation, and the {@code m.relations} aggregations Synapse bundles into
 * {@code unsigned} (references, the latest applicable edit, thread summaries).
 *
 * <p>The index is fed by the one append path (a listener, under the model's lock) and holds event ids only; a
 * lookup re-reads each child from the model and drops it when it is gone (a reset) or no longer relates (a
 * redaction strips {@code m.relates_to}), so the index never answers with stale data. It grows with the events
 * ever appended that relate to something, as the model's own event index does.
 */
public final class Relations {
    /** A parsed {@code m.relates_to}, as Synapse's {@code relation_from_event}: both fields strings. */
    record Relation(String relType, String parentId, String key) {}

    private final HomeserverModel model;
    private final Map<String, List<String>> children = new HashMap<>();
    /** Per room, the ids of events some event named as its thread root, in the order threads started. */
    private final Map<String, java.util.Set<String>> threadRoots = new HashMap<>();

    public Relations(HomeserverModel model) {
        this.model = model;
        model.appender().addListener((room, e) -> {
            Relation rel = relation(e);
            if (rel != null) {
                children.computeIfAbsent(rel.parentId(), k -> new ArrayList<>()).add(e.eventId());
                if (rel.relType().equals("m.thread")) {
                    threadRoots.computeIfAbsent(e.roomId(), k -> new java.util.LinkedHashSet<>()).add(rel.parentId());
                }
            }
        });
    }

    static Relation relation(Event e) {
        JsonNode r = e.content().get("m.relates_to");
        if (r == null || !r.isObject() || !r.path("rel_type").isTextual() || !r.path("event_id").isTextual()) {
            return null;
        }
        return new Relation(r.get("rel_type").asText(), r.get("event_id").asText(),
                r.path("key").isTextual() ? r.get("key").asText() : null);
    }

    /** The events relating to {@code parentId}, in append order, still relating to it. Caller holds the lock. */
    List<Event> childrenOf(String parentId) {
        List<String> ids = children.get(parentId);
        if (ids == null) {
            return List.of();
        }
        List<Event> out = new ArrayList<>();
        ids.removeIf(id -> {
            Event c = model.event(id);
            Relation rel = c == null ? null : relation(c);
            if (rel == null || !rel.parentId().equals(parentId)) {
                return true;
            }
            out.add(c);
            return false;
        });
        if (ids.isEmpty()) {
            children.remove(parentId);
        }
        return out;
    }

    /**
     * Synapse's {@code _validate_event_relation} for a new event's content, under the model's lock: the parent
     * must be known (or already be the target of other relations) and in the same room, one annotation per
     * sender, type and key, and no thread from an event that itself relates to another.
     */
    void validate(String roomId, String sender, String type, ObjectNode content) {
        JsonNode r = content.get("m.relates_to");
        if (r == null || !r.isObject() || !r.path("rel_type").isTextual() || !r.path("event_id").isTextual()) {
            return;
        }
        String relType = r.get("rel_type").asText();
        String parentId = r.get("event_id").asText();
        Event parent = model.event(parentId);
        if (parent != null && !parent.roomId().equals(roomId)) {
            throw MatrixException.unknown(400, "Relations must be in the same room");
        }
        if (parent == null && childrenOf(parentId).isEmpty()) {
            throw MatrixException.unknown(400, "Can't send relation to unknown event");
        }
        if (relType.equals("m.annotation")) {
            String key = r.path("key").isTextual() ? r.get("key").asText() : null;
            if (key == null) {
                throw MatrixException.unknown(400, "Missing aggregation key");
            }
            if (key.length() > 500) {
                throw MatrixException.unknown(400, "Aggregation key is too long");
            }
            for (Event c : childrenOf(parentId)) {
                Relation cr = relation(c);
                if (cr.relType().equals("m.annotation") && key.equals(cr.key()) && c.type().equals(type)
                        && c.sender().equals(sender)) {
                    throw new MatrixException(400, "M_DUPLICATE_ANNOTATION", "Can't send same reaction twice");
                }
            }
        } else if (relType.equals("m.thread") && parent != null && relation(parent) != null) {
            throw MatrixException.unknown(400, "Cannot start threads from an event with a relation");
        }
    }

    /**
     * The chain of relations up from an event, as Synapse's recursive {@code related_events} query walks it: the
     * event's own relation first, then its parent's, at most five. Caller holds the lock.
     */
    private List<Relation> chainUp(String eventId) {
        List<Relation> chain = new ArrayList<>();
        Event e = model.event(eventId);
        while (e != null && chain.size() < 5) {
            Relation rel = relation(e);
            if (rel == null) {
                break;
            }
            chain.add(rel);
            e = model.event(rel.parentId());
        }
        return chain;
    }

    /**
     * Synapse's {@code get_thread_id}: the root of the thread an event is in, following its relations up (an
     * annotation of a thread reply is in the thread), or {@code main}. Caller holds the lock.
     */
    String threadId(String eventId) {
        List<Relation> chain = chainUp(eventId);
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (chain.get(i).relType().equals("m.thread")) {
                return chain.get(i).parentId();
            }
        }
        return "main";
    }

    /**
     * Synapse's {@code get_thread_id_for_receipts}: the top-most event the event relates to (itself when it relates
     * to nothing) when some event starts a thread from it, else {@code main}; so a thread's root and what relates
     * to the root belong to the thread too. Caller holds the lock.
     */
    String threadIdForReceipts(String eventId) {
        List<Relation> chain = chainUp(eventId);
        String top = chain.isEmpty() ? eventId : chain.get(chain.size() - 1).parentId();
        for (Event c : childrenOf(top)) {
            if (relation(c).relType().equals("m.thread")) {
                return top;
            }
        }
        return "main";
    }

    /** The events of a room that are (or were) thread roots and still exist. Caller holds the lock. */
    List<Event> threadRoots(Room room) {
        List<Event> out = new ArrayList<>();
        for (String id : threadRoots.getOrDefault(room.roomId(), java.util.Set.of())) {
            Event e = model.event(id);
            if (e != null && e.roomId().equals(room.roomId())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The thread replies of a root that {@code userId} may see, oldest first. Caller holds the lock. */
    List<Event> threadReplies(Room room, String rootId, String userId) {
        long cap = RoomAccess.visibleUpTo(room, userId);
        List<Event> out = new ArrayList<>();
        for (Event c : childrenOf(rootId)) {
            if (c.stream() <= cap && relation(c).relType().equals("m.thread") && c.roomId().equals(room.roomId())) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * An event in the client (v1) shape with Synapse 1.94's bundled aggregations: none for state events,
     * annotations and edits; {@code m.reference} (the referencing event ids), {@code m.replace} (the latest edit
     * by the original sender, not for redacted events) and {@code m.thread} (latest reply, count, whether the
     * user took part). {@code v1} picks the legacy shape with top-level {@code user_id} and {@code age}, which
     * Synapse's relations and threads endpoints answer with. Caller holds the lock.
     */
    ObjectNode format(Event e, String userId, long now, boolean v1) {
        ObjectNode o = v1 ? EventFormat.appserviceV1(e, now) : EventFormat.client(e, now);
        Relation own = relation(e);
        if (e.isState() || (own != null && (own.relType().equals("m.annotation") || own.relType().equals("m.replace")))) {
            return o;
        }
        Room room = model.room(e.roomId());
        long cap = room == null ? -1 : RoomAccess.visibleUpTo(room, userId);
        ObjectNode agg = Json.object();
        ArrayNode refs = Json.NODES.arrayNode();
        Event edit = null;
        for (Event c : childrenOf(e.eventId())) {
            Relation cr = relation(c);
            if (c.stream() > cap) {
                continue;
            }
            if (cr.relType().equals("m.reference")) {
                refs.addObject().put("event_id", c.eventId());
            } else if (cr.relType().equals("m.replace") && c.sender().equals(e.sender()) && c.type().equals(e.type())
                    && e.redactedBecause() == null && (edit == null || c.originServerTs() >= edit.originServerTs())) {
                edit = c;
            }
        }
        if (!refs.isEmpty()) {
            agg.putObject("m.reference").set("chunk", refs);
        }
        if (edit != null) {
            agg.set("m.replace", v1 ? EventFormat.appserviceV1(edit, now) : EventFormat.client(edit, now));
        }
        if (room != null && (own == null || !own.relType().equals("m.thread"))) {
            List<Event> replies = threadReplies(room, e.eventId(), userId);
            if (!replies.isEmpty()) {
                ObjectNode thread = agg.putObject("m.thread");
                thread.set("latest_event", format(replies.get(replies.size() - 1), userId, now, v1));
                thread.put("count", replies.size());
                thread.put("current_user_participated", e.sender().equals(userId)
                        || replies.stream().anyMatch(r -> r.sender().equals(userId)));
            }
        }
        if (!agg.isEmpty()) {
            ((ObjectNode) o.get("unsigned")).set("m.relations", agg);
        }
        return o;
    }
}
