package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Typing, receipts and presence: the ephemeral data a homeserver does not put in room timelines. Guarded by the
 * model's lock like the rest of the model. Every change goes out through {@link #publish} to the listeners (the
 * transaction pusher) and bumps the change signal.
 *
 * <p>Typing expiry is computed on read from the model's clock, with no timers: a timed-out typist simply stops
 * being listed. Synapse also sends an {@code m.typing} EDU when a timeout fires; this fake only publishes on
 * explicit changes, so a test that wants the "stopped" EDU sends {@code typing: false}.
 */
public final class Ephemeral {
    /** Synapse caps typing timeouts at two minutes. */
    public static final long MAX_TYPING_TIMEOUT_MS = 120_000;

    private final ModelCore core;
    private final List<EphemeralListener> listeners = new CopyOnWriteArrayList<>();
    /** room id -> user id -> expiry (epoch millis). */
    private final Map<String, Map<String, Long>> typing = new HashMap<>();
    /** room id -> receipt type -> user id -> receipt. */
    private final Map<String, Map<String, Map<String, Receipt>>> receipts = new HashMap<>();
    private final Map<String, Presence> presence = new HashMap<>();

    /** A stored receipt. */
    public record Receipt(String eventId, long ts, String threadId) {}

    /** A user's presence as last set. */
    public record Presence(String presence, String statusMsg, long lastActiveTs) {
        public boolean currentlyActive() {
            return "online".equals(presence);
        }
    }

    Ephemeral(ModelCore core) {
        this.core = core;
    }

    public void addListener(EphemeralListener l) {
        listeners.add(l);
    }

    public void removeListener(EphemeralListener l) {
        listeners.remove(l);
    }

    // ---- typing ---------------------------------------------------------------------------------------------

    /** Starts or stops a user's typing in a room; the timeout is capped as Synapse caps it. */
    public void setTyping(String roomId, String userId, boolean isTyping, long timeoutMs) {
        synchronized (core.lock()) {
            Map<String, Long> room = typing.computeIfAbsent(roomId, k -> new LinkedHashMap<>());
            if (isTyping) {
                room.put(userId, core.now() + Math.min(Math.max(0, timeoutMs), MAX_TYPING_TIMEOUT_MS));
            } else {
                room.remove(userId);
            }
            ObjectNode edu = Json.object();
            edu.put("type", "m.typing");
            edu.put("room_id", roomId);
            ArrayNode ids = edu.putObject("content").putArray("user_ids");
            typingUsers(roomId).forEach(ids::add);
            publish(new EphemeralChange(EphemeralChange.Kind.TYPING, roomId, userId, edu));
        }
    }

    /** Who is typing in a room now, by the model's clock. */
    public List<String> typingUsers(String roomId) {
        synchronized (core.lock()) {
            Map<String, Long> room = typing.get(roomId);
            if (room == null) {
                return List.of();
            }
            long now = core.now();
            room.values().removeIf(expiry -> expiry <= now);
            return new ArrayList<>(room.keySet());
        }
    }

    // ---- receipts -------------------------------------------------------------------------------------------

    /** Stores a receipt and publishes it as a one-receipt {@code m.receipt} EDU, as Synapse sends the delta. */
    public void putReceipt(String roomId, String userId, String receiptType, String eventId, String threadId) {
        synchronized (core.lock()) {
            Receipt r = new Receipt(eventId, core.now(), threadId);
            receipts.computeIfAbsent(roomId, k -> new LinkedHashMap<>())
                    .computeIfAbsent(receiptType, k -> new LinkedHashMap<>()).put(userId, r);
            ObjectNode edu = Json.object();
            edu.put("type", "m.receipt");
            edu.put("room_id", roomId);
            edu.putObject("content").putObject(eventId).putObject(receiptType).set(userId, receiptJson(r));
            publish(new EphemeralChange(EphemeralChange.Kind.RECEIPT, roomId, userId, edu));
        }
    }

    /** A user's receipt of one type in a room, or null. */
    public Receipt receipt(String roomId, String receiptType, String userId) {
        synchronized (core.lock()) {
            return receipts.getOrDefault(roomId, Map.of()).getOrDefault(receiptType, Map.of()).get(userId);
        }
    }

    private static ObjectNode receiptJson(Receipt r) {
        ObjectNode o = Json.object();
        o.put("ts", r.ts());
        if (r.threadId() != null) {
            o.put("thread_id", r.threadId());
        }
        return o;
    }

    // ---- presence -------------------------------------------------------------------------------------------

    public void setPresence(String userId, String state, String statusMsg) {
        synchronized (core.lock()) {
            Presence p = new Presence(state, statusMsg, core.now());
            presence.put(userId, p);
            ObjectNode edu = Json.object();
            edu.put("type", "m.presence");
            edu.put("sender", userId);
            edu.set("content", presenceContent(p));
            publish(new EphemeralChange(EphemeralChange.Kind.PRESENCE, null, userId, edu));
        }
    }

    /** A user's presence, or null when never set (clients then see {@code offline}). */
    public Presence presence(String userId) {
        synchronized (core.lock()) {
            return presence.get(userId);
        }
    }

    /** The {@code content} of an {@code m.presence} EDU, also the body of {@code GET /presence/{u}/status}. */
    public ObjectNode presenceContent(Presence p) {
        ObjectNode c = Json.object();
        c.put("presence", p == null ? "offline" : p.presence());
        if (p != null) {
            c.put("last_active_ago", Math.max(0, core.now() - p.lastActiveTs()));
            c.put("currently_active", p.currentlyActive());
            if (p.statusMsg() != null) {
                c.put("status_msg", p.statusMsg());
            }
        }
        return c;
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    /** The one way changes leave this class: listeners first, then the waiters. Caller holds the lock. */
    private void publish(EphemeralChange change) {
        for (EphemeralListener l : listeners) {
            l.changed(change);
        }
        core.signal().bump();
    }

    /** Forgets all ephemeral data; keeps the listeners (the pushers outlive a reset). */
    void reset() {
        typing.clear();
        receipts.clear();
        presence.clear();
    }
}
