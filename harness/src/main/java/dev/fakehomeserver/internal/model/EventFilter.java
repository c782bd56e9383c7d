package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a {@code RoomEventFilter} this fake honours: {@code types}, {@code not_types} (with {@code *}
 * wildcards), {@code senders}, {@code not_senders}, {@code contains_url} and {@code limit}. Other keys
 * ({@code lazy_load_members}, {@code rooms}, ...) are accepted and ignored.
 *
 * @param types null means every type
 * @param senders null means every sender
 * @param containsUrl null means either
 * @param limit null means the request's limit
 */
public record EventFilter(List<String> types, List<String> notTypes, List<String> senders, List<String> notSenders,
                          Boolean containsUrl, Integer limit) {
    public static final EventFilter ALL = new EventFilter(null, List.of(), null, List.of(), null, null);

    /** Parses the {@code filter} query parameter (JSON); null or empty means {@link #ALL}. */
    public static EventFilter parse(String json) {
        if (json == null || json.isEmpty()) {
            return ALL;
        }
        JsonNode n = Json.parse(json.getBytes(StandardCharsets.UTF_8));
        if (!n.isObject()) {
            throw MatrixException.badJson("filter must be a JSON object");
        }
        JsonNode lim = n.get("limit");
        if (lim != null && !lim.isNull() && (!lim.canConvertToInt() || !lim.isIntegralNumber() || lim.asInt() < 0)) {
            throw MatrixException.badJson("filter.limit must be a non-negative integer");
        }
        JsonNode url = n.get("contains_url");
        if (url != null && !url.isNull() && !url.isBoolean()) {
            throw MatrixException.badJson("filter.contains_url must be a boolean");
        }
        return new EventFilter(strings(n, "types"), orEmpty(strings(n, "not_types")), strings(n, "senders"),
                orEmpty(strings(n, "not_senders")), url == null || url.isNull() ? null : url.asBoolean(),
                lim == null || lim.isNull() ? null : lim.asInt());
    }

    /** A list-of-strings field, or null when absent: 400 {@code M_BAD_JSON} when of another shape. */
    static List<String> strings(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw MatrixException.badJson("filter." + field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw MatrixException.badJson("filter." + field + " must be a list of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    public boolean matches(Event e) {
        if (notTypes.stream().anyMatch(t -> typeMatches(t, e.type()))) {
            return false;
        }
        if (types != null && types.stream().noneMatch(t -> typeMatches(t, e.type()))) {
            return false;
        }
        if (notSenders.contains(e.sender()) || (senders != null && !senders.contains(e.sender()))) {
            return false;
        }
        return containsUrl == null || containsUrl == e.content().path("url").isTextual();
    }

    /** The spec's type patterns: {@code *} matches any run of characters. */
    static boolean typeMatches(String pattern, String type) {
        if (!pattern.contains("*")) {
            return pattern.equals(type);
        }
        String[] parts = pattern.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            re.append(i == 0 ? "" : ".*").append(java.util.regex.Pattern.quote(parts[i]));
        }
        return type.matches(re.toString());
    }
}
