package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /sync} needs beyond rooms and users: the positions of ephemeral and account-data changes, saved
 * filters, device keys, one-time keys, to-device inboxes, push rules, and who sent which event from which
 * device. Guarded by the model's lock, cleared by {@link HomeserverModel#reset()}.
 *
 * <p>Positions: room events are ordered by the append path's stream; everything else by this class's own
 * counter ({@link #position()}), which like the stream never goes back, even across resets. A sync token holds
 * both ({@code s<events>_<other>}). Typing, receipts and presence get their position when they change (an
 * {@link EphemeralListener}); account data gets its position the first time a sync sees the new value (the
 * stored value is a fresh object after every {@code PUT}), which orders it correctly against every token
 * handed out before, since each sync looks at all of its user's account data.
 */
public final class SyncData {
    /** Synapse delivers at most 100 to-device messages per sync. */
    public static final int TO_DEVICE_PER_SYNC = 100;
    /** A device's inbox keeps this many undelivered messages; older ones are dropped (bounded memory). */
    public static final int MAX_INBOX = 1000;
    /** Saved filters per user. */
    public static final int MAX_FILTERS = 1000;

    private final ChangeSignal signal;
    private long position;
    private final Map<String, Long> typingPos = new HashMap<>();
    /** room -> "type|user" -> position. */
    private final Map<String, Map<String, Long>> receiptPos = new HashMap<>();
    private final Map<String, Long> presencePos = new HashMap<>();
    /** user -> rooms where the user ever had a membership event (invite, join, leave, ban, knock). */
    private final Map<String, Set<String>> memberOf = new HashMap<>();
    /** Stored account data object -> the position at which a sync first saw it. */
    private final Map<ObjectNode, Long> accountDataPos = new IdentityHashMap<>();
    private final Map<String, List<JsonNode>> filters = new HashMap<>();
    /** user -> device -> the device_keys object uploaded. */
    private final Map<String, Map<String, ObjectNode>> deviceKeys = new LinkedHashMap<>();
    private final Map<String, Long> keysChangedPos = new HashMap<>();
    /** "user|device" -> key id ("signed_curve25519:AAAAAQ") -> key. */
    private final Map<String, Map<String, JsonNode>> oneTimeKeys = new HashMap<>();
    private final Map<String, Map<String, JsonNode>> fallbackKeys = new HashMap<>();
    private final Map<String, Deque<ToDevice>> inboxes = new HashMap<>();
    /** "user|type|txnId" of to-device sends already done: a retried send is not delivered twice. */
    private final Set<String> toDeviceTxns = new LinkedHashSet<>();
    private final Map<String, ObjectNode> pushRules = new HashMap<>();
    private final Map<String, Long> pushRulesPos = new HashMap<>();
    /** event id -> the scope (device, or appservice) that sent it with a transaction id. */
    private final Map<String, String> sentFrom = new HashMap<>();

    private final java.util.concurrent.atomic.AtomicInteger heldSyncs = new java.util.concurrent.atomic.AtomicInteger();

    /** One to-device message waiting in a device's inbox. */
    public record ToDevice(long position, ObjectNode event) {}

    SyncData(ChangeSignal signal, Ephemeral ephemeral, EventAppender appender) {
        this.signal = signal;
        ephemeral.addListener(this::ephemeralChanged);
        appender.addListener(this::appended);
    }

    private void ephemeralChanged(EphemeralChange c) {
        long p = ++position;
        switch (c.kind()) {
            case TYPING -> typingPos.put(c.roomId(), p);
            case PRESENCE -> presencePos.put(c.userId(), p);
            case RECEIPT -> c.event().path("content").fields().forEachRemaining(byEvent ->
                    byEvent.getValue().fieldNames().forEachRemaining(type ->
                            receiptPos.computeIfAbsent(c.roomId(), k -> new HashMap<>()).put(type + "|" + c.userId(), p)));
        }
    }

    private void appended(Room room, Event e) {
        if ("m.room.member".equals(e.type())) {
            memberOf.computeIfAbsent(e.stateKey(), k -> new LinkedHashSet<>()).add(room.roomId());
        }
    }

    /** How many {@code /sync} requests are held (long polls waiting for news) now. Needs no lock. */
    public int heldSyncs() {
        return heldSyncs.get();
    }

    /** Counts a sync held or answered; waiters see the change (tests wait for "all held" this way). */
    public void heldSyncsChanged(int delta) {
        heldSyncs.addAndGet(delta);
        signal.bump();
    }

    /** The current position of the non-event changes. */
    public long position() {
        return position;
    }

    /** Moves the position on: a change that has no other position (keys, to-device, push rules). */
    long next() {
        return ++position;
    }

    public long typingPosition(String roomId) {
        return typingPos.getOrDefault(roomId, 0L);
    }

    public Map<String, Long> receiptPositions(String roomId) {
        return receiptPos.getOrDefault(roomId, Map.of());
    }

    public long presencePosition(String userId) {
        return presencePos.getOrDefault(userId, 0L);
    }

    public Set<String> roomsWithMembership(String userId) {
        return memberOf.getOrDefault(userId, Set.of());
    }

    /** The position of a stored account data value, assigned now when the value is new. */
    public long accountDataPosition(ObjectNode stored) {
        return accountDataPos.computeIfAbsent(stored, k -> ++position);
    }

    // ---- transaction ids ----------------------------------------------------------------------------------

    /** Remembers that {@code eventId} was sent with a transaction id by {@code scope} (see {@link #scopeOf}). */
    public void sentFrom(String eventId, String scope) {
        sentFrom.put(eventId, scope);
    }

    public String sentFrom(String eventId) {
        return sentFrom.get(eventId);
    }

    /**
     * Who sees {@code unsigned.transaction_id}: the sending device, or for an appservice acting without a
     * device, the appservice (Synapse falls back to the access token there).
     */
    public static String scopeOf(String userId, String deviceId, String appserviceId) {
        return deviceId != null ? "d|" + userId + "|" + deviceId : "as|" + appserviceId + "|" + userId;
    }

    // ---- filters --------------------------------------------------------------------------------------------

    /** Stores a filter and returns its id ("0", "1", ... per user, as Synapse numbers them). */
    public String addFilter(String userId, JsonNode filter) {
        List<JsonNode> list = filters.computeIfAbsent(userId, k -> new ArrayList<>());
        if (list.size() >= MAX_FILTERS) {
            throw dev.fakehomeserver.internal.base.MatrixException.unknown(400,
                    "Too many filters (the fake keeps " + MAX_FILTERS + " per user)");
        }
        list.add(filter);
        return Integer.toString(list.size() - 1);
    }

    /** A stored filter, or null. */
    public JsonNode filter(String userId, int id) {
        List<JsonNode> list = filters.getOrDefault(userId, List.of());
        return id >= 0 && id < list.size() ? list.get(id) : null;
    }

    // ---- keys ---------------------------------------------------------------------------------------------

    public void putDeviceKeys(String userId, String deviceId, ObjectNode keys) {
        deviceKeys.computeIfAbsent(userId, k -> new LinkedHashMap<>()).put(deviceId, keys);
        keysChangedPos.put(userId, next());
    }

    public Map<String, ObjectNode> deviceKeys(String userId) {
        return deviceKeys.getOrDefault(userId, Map.of());
    }

    public long keysChangedPosition(String userId) {
        return keysChangedPos.getOrDefault(userId, 0L);
    }

    public Map<String, JsonNode> oneTimeKeys(String userId, String deviceId) {
        return oneTimeKeys.computeIfAbsent(userId + "|" + deviceId, k -> new LinkedHashMap<>());
    }

    /** Unclaimed one-time keys per algorithm; {@code signed_curve25519} always, 0 included, as Synapse does. */
    public ObjectNode oneTimeKeyCounts(String userId, String deviceId) {
        ObjectNode counts = dev.fakehomeserver.internal.base.Json.object();
        counts.put("signed_curve25519", 0);
        if (deviceId != null) {
            for (String id : oneTimeKeys(userId, deviceId).keySet()) {
                String alg = id.substring(0, Math.max(0, id.indexOf(':')));
                counts.put(alg, counts.path(alg).asInt(0) + 1);
            }
        }
        return counts;
    }

    public Map<String, JsonNode> fallbackKeys(String userId, String deviceId) {
        return fallbackKeys.computeIfAbsent(userId + "|" + deviceId, k -> new LinkedHashMap<>());
    }

    // ---- to-device ----------------------------------------------------------------------------------------

    /**
     * Queues a to-device message for one device; false when this (sender, type, txnId) was already sent.
     * Call once per send with {@code firstOfSend}, then for each recipient.
     */
    public boolean claimToDeviceTxn(String senderScope, String type, String txnId) {
        if (toDeviceTxns.size() >= 10_000) {
            toDeviceTxns.remove(toDeviceTxns.iterator().next());
        }
        return toDeviceTxns.add(senderScope + "|" + type + "|" + txnId);
    }

    public void deliverToDevice(String userId, String deviceId, ObjectNode event) {
        Deque<ToDevice> inbox = inboxes.computeIfAbsent(userId + "|" + deviceId, k -> new ArrayDeque<>());
        if (inbox.size() >= MAX_INBOX) {
            inbox.removeFirst();
        }
        inbox.addLast(new ToDevice(next(), event));
    }

    /**
     * The to-device messages for a sync from {@code since}: those at or before it were delivered by the sync
     * that handed out that token, so they go (Synapse deletes them the same way); the next 100 are returned.
     */
    public List<ToDevice> toDevice(String userId, String deviceId, long since) {
        Deque<ToDevice> inbox = inboxes.get(userId + "|" + deviceId);
        if (inbox == null) {
            return List.of();
        }
        while (!inbox.isEmpty() && inbox.peekFirst().position() <= since) {
            inbox.removeFirst();
        }
        List<ToDevice> out = new ArrayList<>();
        for (ToDevice t : inbox) {
            if (out.size() == TO_DEVICE_PER_SYNC) {
                break;
            }
            out.add(t);
        }
        return out;
    }

    // ---- push rules ---------------------------------------------------------------------------------------

    /** A user's push rules ({@code {"global": {...}}}), created from Synapse's defaults on first use. */
    public ObjectNode pushRules(String userId) {
        return pushRules.computeIfAbsent(userId, DefaultPushRules::of);
    }

    public void pushRulesChanged(String userId) {
        pushRulesPos.put(userId, next());
    }

    /** The position of the last push rule change, 0 when never changed. */
    public long pushRulesPosition(String userId) {
        return pushRulesPos.getOrDefault(userId, 0L);
    }

    void reset() {
        typingPos.clear();
        receiptPos.clear();
        presencePos.clear();
        memberOf.clear();
        accountDataPos.clear();
        filters.clear();
        deviceKeys.clear();
        keysChangedPos.clear();
        oneTimeKeys.clear();
        fallbackKeys.clear();
        inboxes.clear();
        toDeviceTxns.clear();
        pushRules.clear();
        pushRulesPos.clear();
        sentFrom.clear();
    }
}
