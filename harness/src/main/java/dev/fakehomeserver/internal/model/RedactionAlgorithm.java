package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The spec's redaction algorithm (room versions 1 to 11) and its application: once the append path has appended
 * an {@code m.room.redaction}, its target is replaced by a copy stripped to the keys its room version keeps,
 * with {@code unsigned.redacted_because}. Apart from {@link Redactions} (the redact operation) because the append
 * path needs this and the redact operation needs the append path.
 */
final class RedactionAlgorithm {
    /** The content keys the redaction algorithm keeps, per event type, for room versions 1 to 10. */
    private static final Map<String, Set<String>> KEEP_V10 = Map.of(
            "m.room.member", Set.of("membership", "join_authorised_via_users_server"),
            "m.room.create", Set.of("creator"),
            "m.room.join_rules", Set.of("join_rule", "allow"),
            "m.room.power_levels", Set.of("ban", "events", "events_default", "kick", "redact", "state_default",
                    "users", "users_default"),
            "m.room.history_visibility", Set.of("history_visibility"),
            "m.room.aliases()", Set.of("aliases"));

    /** Replaces the target of a just-appended redaction by its redacted copy. Caller holds the lock. */
    static void apply(ModelCore model, Room room, Event redaction) {
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

    private RedactionAlgorithm() {
    }
}
