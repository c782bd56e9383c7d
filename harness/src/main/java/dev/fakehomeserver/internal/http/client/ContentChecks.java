package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.HomeserverModel;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The content checks Synapse 1.94 makes on an event a client sends, before the auth rules: its
 * {@code EventValidator.validate_builder} (strings in messages, names and topics; those two and members only as
 * state), the power levels schema (levels are integers: M_BAD_JSON) and the canonical alias (a string starting
 * with {@code #}: M_INVALID_PARAM; a local alias of this room: M_BAD_ALIAS). Only the client API runs them: an
 * event a test injects is taken as it is.
 */
final class ContentChecks {
    private static final Set<String> LEVELS = Set.of("ban", "events_default", "invite", "kick", "redact",
            "state_default", "users_default", "historical");

    private ContentChecks() {}

    /** {@code stateKey} is null for a message-like event. Caller holds the model's lock (alias lookups). */
    static void check(HomeserverModel model, String roomId, String type, String stateKey, ObjectNode content) {
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
            case "m.room.power_levels" -> {
                if (stateKey != null) {
                    powerLevels(content);
                }
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

    private static void powerLevels(ObjectNode content) {
        for (String k : LEVELS) {
            if (content.has(k) && !content.get(k).isIntegralNumber()) {
                throw MatrixException.badJson(content.get(k) + " is not of type 'integer'");
            }
        }
        for (String map : new String[] {"users", "events", "notifications"}) {
            JsonNode m = content.get(map);
            if (m == null) {
                continue;
            }
            if (!m.isObject()) {
                throw MatrixException.badJson(m + " is not of type 'object'");
            }
            Iterator<Map.Entry<String, JsonNode>> it = m.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isIntegralNumber()) {
                    throw MatrixException.badJson("\"" + e.getKey() + "\": " + e.getValue() + " is not of type 'integer'");
                }
            }
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
