package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.RoomService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The field checks of {@code POST /createRoom} (and of room upgrades' version), with Synapse 1.94's errcodes. */
final class CreateRoomChecks {
    /** Synapse 1.94's {@code KNOWN_ROOM_VERSIONS}: no unstable identifiers. */
    static final Set<String> KNOWN_ROOM_VERSIONS = Set.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
    private static final Set<String> PRESETS = Set.of("public_chat", "private_chat", "trusted_private_chat");

    private CreateRoomChecks() {}

    /** 400 {@code M_BAD_JSON} when not a string, {@code M_UNSUPPORTED_ROOM_VERSION} when unknown. */
    static String roomVersion(ObjectNode b) {
        JsonNode v = b.get("room_version");
        if (v == null) {
            return RoomService.ROOM_VERSION;
        }
        if (!v.isTextual()) {
            throw MatrixException.badJson("room_version must be a string");
        }
        return knownVersion(v.asText());
    }

    static String knownVersion(String version) {
        if (!KNOWN_ROOM_VERSIONS.contains(version)) {
            throw new MatrixException(400, "M_UNSUPPORTED_ROOM_VERSION",
                    "Your homeserver does not support this room version");
        }
        return version;
    }

    /** Whitespace or a colon in the local part: 400 {@code M_UNKNOWN}, as Synapse's plain SynapseError. */
    static void aliasName(ObjectNode b) {
        JsonNode n = b.get("room_alias_name");
        if (n == null) {
            return;
        }
        if (!n.isTextual()) {
            // Synapse 1.94: 500 (a TypeError); a correct server refuses the body.
            throw MatrixException.badJson("'room_alias_name' must be a string");
        }
        String name = n.asText();
        if (name.chars().anyMatch(ch -> " \t\n\r\u000b\f".indexOf(ch) >= 0)) {
            throw MatrixException.unknown(400, "Invalid characters in room alias");
        }
        if (name.contains(":")) {
            throw MatrixException.unknown(400, "':' is not permitted in the room alias name. Please note this "
                    + "expects a local part — 'wombat', not '#wombat:example.com'.");
        }
    }

    /**
     * Each invitee must parse as a user id with a valid server name: 400 {@code M_UNKNOWN} otherwise. Synapse
     * iterates a string as characters (so {@code "x"} fails on {@code x}) and answers 500 on other non-lists;
     * the fake answers 400 {@code M_UNKNOWN} for every non-list.
     */
    static List<String> invites(ObjectNode b) {
        List<String> out = new ArrayList<>();
        JsonNode inv = b.get("invite");
        if (inv == null || inv.isNull()) {
            return out;
        }
        if (!inv.isArray()) {
            throw MatrixException.unknown(400, "Invalid user_id: " + inv.asText(inv.toString()));
        }
        for (JsonNode u : inv) {
            if (!u.isTextual() || !isUserId(u.asText())) {
                throw MatrixException.unknown(400, "Invalid user_id: " + u.asText(u.toString()));
            }
            out.add(u.asText());
        }
        return out;
    }

    static boolean isUserId(String id) {
        int colon = id.indexOf(':');
        return id.startsWith("@") && colon > 0 && colon < id.length() - 1;
    }

    static void overrideKeepsCreator(ObjectNode override, String creator) {
        if (override != null && override.has("users") && !override.path("users").has(creator)) {
            throw MatrixException.unknown(400, "Not a valid power_level_content_override: 'users' did not contain "
                    + creator);
        }
    }

    /** The preset, defaulting as Synapse does: private_chat when visibility is "private" or absent, else public_chat. */
    static String preset(ObjectNode b) {
        JsonNode p = b.get("preset");
        if (p == null || p.isNull()) {
            JsonNode vis = b.get("visibility");
            return vis == null || "private".equals(vis.asText(null)) ? "private_chat" : "public_chat";
        }
        if (!p.isTextual() || !PRESETS.contains(p.asText())) {
            throw MatrixException.badJson("'" + p.asText(p.toString()) + "' is not a valid preset");
        }
        return p.asText();
    }

    /** {@code name} and {@code topic} become event content: Synapse's event validator answers 400 M_UNKNOWN. */
    static String stringContent(ObjectNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw MatrixException.unknown(400, "'" + field + "' not a string type");
        }
        return v.asText();
    }
}
