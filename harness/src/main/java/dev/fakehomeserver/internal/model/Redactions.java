package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redactions: a redaction is an ordinary {@code m.room.redaction} event through the one append path (which checks
 * the power to redact in {@link AuthRules}); once it is appended, {@link EventAppender} calls {@link #apply} and
 * the target is replaced by its copy stripped by the spec's redaction algorithm, with
 * {@code unsigned.redacted_because}.
 */
public final class Redactions {
    /** The content keys the redaction algorithm keeps, per event type, for room versions 1 to 10. */
    private static final Map<String, Set<String>> KEEP_V10 = Map.of(
            "m.room.member", Set.of("membership", "join_authorised_via_users_server"),
            "m.room.create", Set.of("creator"),
            "m.room.join_rules", Set.of("join_rule", "allow"),
            "m.room.power_levels", Set.of("ban", "events", "events_default", "kick", "redact", "state_default",
                    "users", "users_default"),
            "m.room.history_visibility", Set.of("history_visibility"),
            "m.room.aliases()", Set.of("aliases"));

    private final HomeserverModel model;

    public Redactions(HomeserverModel model) {
        this.model = model;
    }

    /**
     * Redacts an event as the requester, idempotent per transaction like sending: a repeated {@code txnKey}
     * answers the first redaction's id.
     *
     * @return the redaction event's id
     */
    public String redact(Requester r, String roomId, String eventId, String reason, String txnId, String txnKey) {
        synchronized (model) {
            String cached = model.sendTxns.get(txnKey);
            if (cached != null) {
                return cached;
            }
            if (model.room(roomId) == null) {
                throw dev.fakehomeserver.internal.base.MatrixException.forbidden("Unknown room " + roomId);
            }
            model.messageLimiter().check(r, model.now());
            ObjectNode content = Json.object();
            // Room v11 moved redacts into content; keeping it there for every version lets one shape serve all
            // (EventFormat also puts it at the top level, where clients of older room versions read it).
            content.put("redacts", eventId);
            if (reason != null) {
                content.put("reason", reason);
            }
            Event e = model.appender().append(
                    EventDraft.message(roomId, r.userId(), "m.room.redaction", content).withTxnId(txnId));
            model.sendTxns.put(txnKey, e.eventId());
            if (txnId != null) {
                model.sync().sentFrom(e.eventId(), SyncData.scopeOf(r.userId(), r.deviceId(), r.appserviceId()));
            }
            return e.eventId();
        }
    }

    /** Replaces the target of a just-appended redaction by its redacted copy. Caller holds the lock. */
    static void apply(HomeserverModel model, Room room, Event redaction) {
        Event target = model.event(redaction.content().path("redacts").asText(""));
        if (target == null || !target.roomId().equals(room.roomId()) || target.redactedBecause() != null) {
            return;
        }
        ObjectNode because = EventFormat.client(redaction, model.now());
        model.replaceEvent(target.redacted(prune(room.version(), target), because));
    }

    /** The content the redaction algorithm keeps for this room version (1–11). */
    static ObjectNode prune(String roomVersion, Event e) {
        int v = version(roomVersion);
        ObjectNode in = e.content();
        ObjectNode out = Json.object();
        if (v >= 11 && e.type().equals("m.room.create")) {
            out.setAll(in.deepCopy());
            return out;
        }
        Set<String> keep = KEEP_V10.getOrDefault(e.type(), Set.of());
        if (e.type().equals("m.room.aliases()") && v >= 6) {
            keep = Set.of();
        }
        for (String key : keep) {
            if (e.type().equals("m.room.join_rules") && key.equals("allow") && v < 8) {
                continue;
            }
            if (key.equals("join_authorised_via_users_server") && v < 9) {
                continue;
            }
            if (in.has(key)) {
                out.set(key, in.get(key).deepCopy());
            }
        }
        if (v >= 11) {
            for (String key : extraV11(e.type())) {
                if (in.has(key)) {
                    out.set(key, in.get(key).deepCopy());
                }
            }
            JsonNode signed = in.path("third_party_invite").path("signed");
            if (e.type().equals("m.room.member") && !signed.isMissingNode()) {
                out.putObject("third_party_invite").set("signed", signed.deepCopy());
            }
        }
        return out;
    }

    private static List<String> extraV11(String type) {
        return switch (type) {
            case "m.room.power_levels" -> List.of("invite");
            case "m.room.redaction" -> List.of("redacts");
            default -> List.of();
        };
    }

    private static int version(String roomVersion) {
        try {
            return Integer.parseInt(roomVersion);
        } catch (NumberFormatException e) {
            return 10;
        }
    }
}
