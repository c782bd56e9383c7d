package dev.fakehomeserver.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must differ between two servers' answers taken out of them, so that a Synapse answer and the fake's
 * compare field by field: every value a step captured becomes {@code ${name}} (room, event and user ids, device
 * ids), other event ids {@code $EVENT}, stream tokens {@code <token>}, timestamps and ages 0; lists whose order
 * no client relies on (state, stripped state, presence, account data, device lists) are sorted.
 *
 * <p>And what the fake does differently on purpose, taken out of both: it sends every sync section even when
 * empty, where Synapse leaves empty ones out ({@code README.md}, "Where the fake differs"), so empty sections go;
 * it sends an empty {@code summary}, where Synapse 1.94 sends none without lazy loading; its rooms keep
 * {@code invite} at 0 in the creator's power levels where Synapse's presets put 50 (README; the samples' bots
 * invite at level 0), so that key goes from power-level contents. And one Synapse 1.94 bug the fake does not
 * copy: the timeline of a room joined since the token repeats the events since the token (its {@code
 * _load_filtered_recents} prepends the room's recent events, those included, to them); a repeated event id is
 * dropped from Synapse's timeline before comparing.
 */
final class SyncShape {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> TIMES = Set.of("origin_server_ts", "age", "ts", "last_active_ago");
    private static final Set<String> TOKENS = Set.of("next_batch", "prev_batch", "start", "end", "since");
    private static final Set<String> UNORDERED = Set.of("state", "invite_state", "knock_state", "presence",
            "account_data", "ephemeral");

    private final List<Map.Entry<String, String>> replacements = new ArrayList<>();

    /** @param env the conversation's variables; values shorter than 4 characters are left alone */
    SyncShape(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue().length() >= 4 && !e.getKey().endsWith("_token")) {
                replacements.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        // Longest first: a user id before the random part it contains.
        replacements.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
    }

    JsonNode of(JsonNode answer) {
        if (answer == null) {
            return null;
        }
        JsonNode n = walk(withoutRepeats(answer.deepCopy()), "");
        if (n instanceof ObjectNode o) {
            dropEmpty(o);
        }
        return n;
    }

    /** Drops a timeline event whose id came before in the same timeline, and power levels' {@code invite}. */
    private static JsonNode withoutRepeats(JsonNode n) {
        if (n instanceof ObjectNode o) {
            if (o.get("timeline") instanceof ObjectNode t && t.get("events") instanceof ArrayNode events) {
                Set<String> seen = new java.util.HashSet<>();
                ArrayNode kept = F.arrayNode();
                events.forEach(e -> {
                    if (seen.add(e.path("event_id").asText())) {
                        kept.add(e);
                    }
                });
                t.set("events", kept);
            }
            if ("m.room.power_levels".equals(o.path("type").asText()) && o.get("content") instanceof ObjectNode c) {
                c.remove("invite");
            }
            o.forEach(SyncShape::withoutRepeats);
        } else if (n instanceof ArrayNode a) {
            a.forEach(SyncShape::withoutRepeats);
        }
        return n;
    }

    private String text(String s) {
        String out = s;
        for (Map.Entry<String, String> e : replacements) {
            out = out.replace(e.getValue(), "${" + e.getKey() + "}");
        }
        if (out.startsWith("$") && !out.startsWith("${")) {
            return "$EVENT";
        }
        return out;
    }

    private JsonNode walk(JsonNode n, String field) {
        if (n.isObject()) {
            ObjectNode o = F.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(text(e.getKey()), walk(e.getValue(), e.getKey()));
            }
            if (UNORDERED.contains(field) && o.get("events") instanceof ArrayNode events) {
                o.set("events", sorted(events));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = F.arrayNode();
            n.forEach(x -> a.add(walk(x, "")));
            return field.equals("changed") || field.equals("left") ? sorted(a) : a;
        }
        if (n.isNumber() && TIMES.contains(field)) {
            return IntNode.valueOf(0);
        }
        if (n.isTextual() && TOKENS.contains(field)) {
            return TextNode.valueOf("<token>");
        }
        if (n.isTextual()) {
            return TextNode.valueOf(text(n.asText()));
        }
        return n;
    }

    private static ArrayNode sorted(ArrayNode a) {
        List<JsonNode> items = new ArrayList<>();
        a.forEach(items::add);
        items.sort(Comparator.comparing(SyncShape::sortKey));
        ArrayNode out = F.arrayNode();
        items.forEach(out::add);
        return out;
    }

    private static String sortKey(JsonNode n) {
        return n.isObject() ? n.path("type").asText() + "\u0000" + n.path("state_key").asText() + "\u0000"
                + n.path("sender").asText() + "\u0000" + n : n.asText();
    }

    /** Empty objects and arrays, and objects holding only empty things, go, at every level but event contents. */
    private static boolean dropEmpty(ObjectNode o) {
        List<String> gone = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = o.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().equals("content") || e.getKey().equals("unsigned")) {
                continue;
            }
            if (e.getKey().equals("summary") || v.isArray() && v.isEmpty()
                    || v instanceof ObjectNode child && dropEmpty(child)) {
                gone.add(e.getKey());
            }
        }
        gone.forEach(o::remove);
        return o.isEmpty();
    }

    /** Field-by-field differences, one line each ({@code /rooms/join/...: want X, got Y}); empty when equal. */
    static List<String> diff(JsonNode want, JsonNode got) {
        List<String> out = new ArrayList<>();
        diff("", want, got, out);
        return out;
    }

    private static void diff(String at, JsonNode want, JsonNode got, List<String> out) {
        if (want != null && got != null && want.isObject() && got.isObject()) {
            Set<String> keys = new java.util.TreeSet<>();
            want.fieldNames().forEachRemaining(keys::add);
            got.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                diff(at + "/" + k, want.get(k), got.get(k), out);
            }
        } else if (want != null && got != null && want.isArray() && got.isArray() && want.size() == got.size()) {
            for (int i = 0; i < want.size(); i++) {
                diff(at + "/" + i, want.get(i), got.get(i), out);
            }
        } else if (want == null || !want.equals(got)) {
            out.add((at.isEmpty() ? "/" : at) + ": want " + cut(want) + ", got " + cut(got));
        }
    }

    private static String cut(JsonNode n) {
        String s = n == null ? "(absent)" : n.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
