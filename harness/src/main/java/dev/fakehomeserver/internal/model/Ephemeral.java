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

    /** Synapse's {@code LAST_ACTIVE_GRANULARITY}: an online user active within it is {@code currently_active}. */
    private static final long LAST_ACTIVE_GRANULARITY_MS = 60_000;

    /**
     * A user's presence: the state last set, its status message, and when the user was last active (0: never,
     * as Synapse's unset {@code last_active_ts}, so no {@code last_active_ago} is shown).
     */
    public record Presence(String presence, String statusMsg, long lastActiveTs) {}

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

    /**
     * Sets a user's presence as Synapse's {@code set_state}: the status message is replaced (null clears it) and
     * the last-active time moves only for {@code online}.
     */
    public void setPresence(String userId, String state, String statusMsg) {
        synchronized (core.lock()) {
            Presence before = presence.get(userId);
            long active = "online".equals(state) ? core.now() : before == null ? 0 : before.lastActiveTs();
            publishPresence(userId, new Presence(state, statusMsg, active));
        }
    }

    /**
     * Synapse's {@code bump_presence_active_time}, on typing, receipts, read markers and messages: the user was
     * active now, and {@code unavailable} becomes {@code online}. Only that change of state is published: Synapse
     * notifies nobody of a mere last-active time within its granularity.
     */
    public void bumpActive(String userId) {
        synchronized (core.lock()) {
            Presence before = presence.get(userId);
            if (before != null && "unavailable".equals(before.presence())) {
                publishPresence(userId, new Presence("online", before.statusMsg(), core.now()));
            } else {
                presence.put(userId, before == null ? new Presence("offline", null, core.now())
                        : new Presence(before.presence(), before.statusMsg(), core.now()));
            }
        }
    }

    private void publishPresence(String userId, Presence p) {
        synchronized (core.lock()) {
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
        if (p == null) {
            return c;
        }
        long ago = Math.max(0, core.now() - p.lastActiveTs());
        // Synapse's format_user_presence_state: each key only when set, currently_active only when online.
        if (p.lastActiveTs() > 0) {
            c.put("last_active_ago", ago);
        }
        if (p.statusMsg() != null && !p.statusMsg().isEmpty()) {
            c.put("status_msg", p.statusMsg());
        }
        if ("online".equals(p.presence())) {
            c.put("currently_active", p.lastActiveTs() > 0 && ago < LAST_ACTIVE_GRANULARITY_MS);
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
