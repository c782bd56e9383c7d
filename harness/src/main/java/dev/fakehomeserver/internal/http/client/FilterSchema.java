package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Synapse 1.94's {@code USER_FILTER_SCHEMA} ({@code synapse/api/filtering.py}), which {@code POST
 * /user/{userId}/filter} checks before it saves a filter: each known field of the filter, its {@code room} part
 * and their event filters must have the schema's type (a {@code limit} any number, negative or fractional ones
 * included; user and room ids of the right form); unknown fields pass. A failure is 400 {@code M_UNKNOWN}, as
 * Synapse raises its {@code ValidationError}.
 *
 * <pre>{@code
 * FilterSchema.check(body);   // throws 400 M_UNKNOWN when, say, "event_fields" is not a list of strings
 * }</pre>
 */
final class FilterSchema {
    private FilterSchema() {}

    private static final Predicate<JsonNode> NUMBER = JsonNode::isNumber;
    private static final Predicate<JsonNode> BOOLEAN = JsonNode::isBoolean;
    private static final Predicate<JsonNode> STRINGS = v -> arrayOf(v, JsonNode::isTextual);
    private static final Predicate<JsonNode> USER_IDS =
            v -> arrayOf(v, s -> s.isTextual() && SynapseIds.isValidUserId(s.asText()));
    private static final Predicate<JsonNode> ROOM_IDS =
            v -> arrayOf(v, s -> s.isTextual() && SynapseIds.isRoomId(s.asText()));

    /** {@code FILTER_SCHEMA}: presence and account data. */
    private static final Map<String, Predicate<JsonNode>> FILTER = Map.of("limit", NUMBER, "senders", USER_IDS,
            "not_senders", USER_IDS, "types", STRINGS, "not_types", STRINGS, "org.matrix.msc3874.rel_types", STRINGS,
            "org.matrix.msc3874.not_rel_types", STRINGS);

    /** {@code ROOM_EVENT_FILTER_SCHEMA}: timeline, state, ephemeral and room account data. */
    private static final Map<String, Predicate<JsonNode>> ROOM_EVENT_FILTER = Map.ofEntries(
            Map.entry("limit", NUMBER), Map.entry("senders", USER_IDS), Map.entry("not_senders", USER_IDS),
            Map.entry("types", STRINGS), Map.entry("not_types", STRINGS), Map.entry("rooms", ROOM_IDS),
            Map.entry("not_rooms", ROOM_IDS), Map.entry("contains_url", BOOLEAN),
            Map.entry("lazy_load_members", BOOLEAN), Map.entry("include_redundant_members", BOOLEAN),
            Map.entry("unread_thread_notifications", BOOLEAN),
            Map.entry("org.matrix.msc3773.unread_thread_notifications", BOOLEAN),
            Map.entry("org.matrix.labels", STRINGS), Map.entry("org.matrix.not_labels", STRINGS),
            Map.entry("related_by_senders", STRINGS), Map.entry("related_by_rel_types", STRINGS));

    private static final Predicate<JsonNode> FILTER_OBJECT = v -> matches(v, FILTER);
    private static final Predicate<JsonNode> ROOM_EVENT_FILTER_OBJECT = v -> matches(v, ROOM_EVENT_FILTER);

    /** {@code ROOM_FILTER_SCHEMA}. */
    private static final Map<String, Predicate<JsonNode>> ROOM_FILTER = Map.of("rooms", ROOM_IDS,
            "not_rooms", ROOM_IDS, "include_leave", BOOLEAN, "timeline", ROOM_EVENT_FILTER_OBJECT,
            "state", ROOM_EVENT_FILTER_OBJECT, "ephemeral", ROOM_EVENT_FILTER_OBJECT,
            "account_data", ROOM_EVENT_FILTER_OBJECT);

    /** {@code USER_FILTER_SCHEMA}'s own properties. */
    private static final Map<String, Predicate<JsonNode>> USER_FILTER = Map.of("presence", FILTER_OBJECT,
            "account_data", FILTER_OBJECT, "room", v -> matches(v, ROOM_FILTER),
            "event_format", v -> v.isTextual() && (v.asText().equals("client") || v.asText().equals("federation")),
            "event_fields", STRINGS);

    /** Throws 400 {@code M_UNKNOWN} naming the first field (in the schema's terms) that fails. */
    static void check(JsonNode filter) {
        if (!filter.isObject()) {
            throw MatrixException.unknown(400, "filter is not of type 'object'");
        }
        USER_FILTER.forEach((field, ok) -> {
            JsonNode v = filter.get(field);
            if (v != null && !ok.test(v)) {
                throw MatrixException.unknown(400, "filter field '" + field + "' does not match the filter schema");
            }
        });
    }

    private static boolean matches(JsonNode v, Map<String, Predicate<JsonNode>> properties) {
        if (!v.isObject()) {
            return false;
        }
        return properties.entrySet().stream().allMatch(p -> !v.has(p.getKey()) || p.getValue().test(v.get(p.getKey())));
    }

    private static boolean arrayOf(JsonNode v, Predicate<JsonNode> item) {
        if (!v.isArray()) {
            return false;
        }
        for (JsonNode s : v) {
            if (!item.test(s)) {
                return false;
            }
        }
        return true;
    }
}
