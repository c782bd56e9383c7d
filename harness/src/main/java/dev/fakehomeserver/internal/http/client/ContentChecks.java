package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.HomeserverModel;

/**
 * The content checks Synapse 1.94 makes on an event a client sends, before the auth rules: its
 * {@code EventValidator.validate_builder} (strings in messages, names and topics; those two and members only as
 * state) and the canonical alias (a string starting with {@code #}: M_INVALID_PARAM; a local alias of this room:
 * M_BAD_ALIAS). Only the client API runs them: an event a test injects is taken as it is, so a test can push a
 * malformed message at its appservice. What no event may break (canonical JSON, the power levels schema, the
 * size limits) the append path checks for every event: {@code EventChecks}.
 */
final class ContentChecks {
    private ContentChecks() {}

    /**
     * {@code stateKey} is null for a message-like event. A sender who is not in the room is refused first (403),
     * as Synapse does. Caller holds the model's lock (membership and alias lookups).
     */
    static void check(HomeserverModel model, String roomId, String sender, String type, String stateKey,
                      ObjectNode content) {
        model.appender().checkSenderJoined(roomId, sender, type);
        switch (type) {
            case "m.room.message" -> strings(content, "body", "msgtype");
            case "m.room.topic" -> {
                strings(content, "topic");
                state(type, stateKey);
            }
            case "m.room.name" -> {
                strings(content, "name");
                state(type, stateKey);
            }
            case "m.room.member" -> {
                if (!content.has("membership")) {
                    throw MatrixException.unknown(400, "Content has not membership key");
                }
                state(type, stateKey);
            }
            case "m.room.canonical_alias" -> {
                if (stateKey != null) {
                    canonicalAlias(model, roomId, content);
                }
            }
            default -> { }
        }
    }

    private static void strings(ObjectNode content, String... keys) {
        for (String k : keys) {
            if (!content.has(k)) {
                throw MatrixException.unknown(400, "'" + k + "' not in content");
            }
            if (!content.get(k).isTextual()) {
                throw MatrixException.unknown(400, "'" + k + "' not a string type");
            }
        }
    }

    private static void state(String type, String stateKey) {
        if (stateKey == null) {
            throw MatrixException.unknown(400, "'" + type + "' must be state events");
        }
    }

    private static void canonicalAlias(HomeserverModel model, String roomId, ObjectNode content) {
        JsonNode alias = content.get("alias");
        if (alias != null && !alias.isNull()) {
            checkAlias(model, roomId, alias);
        }
        JsonNode alt = content.get("alt_aliases");
        if (alt != null && alt.isArray()) {
            for (JsonNode a : alt) {
                checkAlias(model, roomId, a);
            }
        }
    }

    private static void checkAlias(HomeserverModel model, String roomId, JsonNode alias) {
        if (!alias.isTextual() || !alias.asText().startsWith("#") || !alias.asText().contains(":")) {
            throw MatrixException.invalidParam("Expected RoomAlias string to start with '#'");
        }
        if (model.isMine(alias.asText()) && !roomId.equals(model.roomForAlias(alias.asText()))) {
            throw new MatrixException(400, "M_BAD_ALIAS", "Room alias " + alias.asText() + " does not point to the room");
        }
    }
}
