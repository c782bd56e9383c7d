package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import java.util.List;

/**
 * A user's push rules, as Synapse 1.94 keeps them: its default rule set ({@code default-push-rules.json}, the
 * answer of a real Synapse 1.94 to {@code GET /pushrules/} with the user id put back as placeholders), plus the
 * user's own rules, with Synapse's validation messages ({@code rest/client/push_rule.py}). The fake stores and
 * returns rules; it does not evaluate them (unread counts use a simpler rule, see {@code SyncRooms}).
 */
public final class PushRules {
    public static final List<String> KINDS = List.of("override", "content", "room", "sender", "underride");

    private final HomeserverModel model;

    public PushRules(HomeserverModel model) {
        this.model = model;
    }

    /** A copy of the whole rule set, {@code {"global": {...}}}, taken under the lock. */
    public ObjectNode snapshot(String userId) {
        return model.read(() -> model.sync().pushRules(userId).deepCopy());
    }

    /** {@code PUT /pushrules/global/{kind}/{ruleId}} with {@code before}/{@code after}. */
    public void put(String userId, String scope, String kind, String ruleId, ObjectNode body, String before,
                    String after) {
        model.write(() -> {
            ArrayNode rules = kind(userId, scope, kind);
            if (ruleId.startsWith(".")) {
                throw MatrixException.unknown(400, "cannot add new rule_ids that start with '.'");
            }
            ObjectNode rule = Json.object();
            if (kind.equals("content")) {
                JsonNode pattern = body.get("pattern");
                if (pattern == null) {
                    throw MatrixException.unknown(400, "Content rule missing 'pattern'");
                }
                // Synapse 1.94 stores the pattern as it came, a number too, and answers it back on GET
                // (conversations/pushrules-edges); the fake evaluates no rule, so it does the same.
                rule.set("pattern", pattern.deepCopy());
            } else if (kind.equals("override") || kind.equals("underride")) {
                JsonNode conditions = body.get("conditions");
                if (conditions == null) {
                    throw MatrixException.unknown(400, "Missing 'conditions'");
                }
                // Synapse 1.94 stores conditions that are not a list, then answers 500 to every GET of the
                // user's rules; the fake refuses them (README table of differences).
                if (!conditions.isArray()) {
                    throw MatrixException.unknown(400, "'conditions' must be a list");
                }
                rule.set("conditions", conditions.deepCopy());
            }
            JsonNode actions = body.get("actions");
            if (actions == null || !actions.isArray()) {
                throw MatrixException.unknown(400, "No actions found");
            }
            checkActions(actions, "");
            rule.set("actions", actions.deepCopy());
            rule.put("default", false);
            rule.put("enabled", true);
            rule.put("rule_id", ruleId);
            String anchor = before != null ? before : after;
            int at;
            if (anchor != null) {
                int i = indexOf(rules, anchor);
                // Synapse looks the anchor up among the user's own rules only: a server default is not found.
                if (i < 0 || rules.get(i).path("default").asBoolean()) {
                    throw MatrixException.unknown(400, "before/after rule not found: " + scope + "/" + kind + "/" + anchor);
                }
                at = before != null ? i : i + 1;
            } else {
                at = userRulesEnd(rules, kind);
            }
            int existing = indexOf(rules, ruleId);
            if (existing >= 0) {
                rules.remove(existing);
                if (existing < at) {
                    at--;
                }
            }
            rules.insert(Math.min(at, rules.size()), rule);
            changed(userId);
        });
    }

    /** Synapse checks no kind here: a rule that is not there, in whatever kind, is 404. */
    public void delete(String userId, String kind, String ruleId) {
        model.write(() -> {
            int i = KINDS.contains(kind) ? indexOf(kind(userId, "global", kind), ruleId) : -1;
            if (i < 0 || kind(userId, "global", kind).get(i).path("default").asBoolean()) {
                throw MatrixException.notFound("Not found");
            }
            kind(userId, "global", kind).remove(i);
            changed(userId);
        });
    }

    /**
     * {@code PUT .../{attr}} as Synapse's {@code set_rule_attr}: {@code enabled} (an object with it, or a bare
     * boolean, "many clients pass bools directly") or {@code actions} (an object with a list) of a rule that
     * exists, defaults included; any other attribute 400 {@code M_UNRECOGNIZED}.
     */
    public void setAttribute(String userId, String kind, String ruleId, String attr, JsonNode content) {
        if (!attr.equals("enabled") && !attr.equals("actions")) {
            throw new MatrixException(400, "M_UNRECOGNIZED", "Unrecognized request");
        }
        model.write(() -> {
            ArrayNode rules = kind(userId, "global", kind);
            int i = indexOf(rules, ruleId);
            // A server default that is not there is refused before the value is looked at; a rule of the user's
            // own after (Synapse's store finds it missing only when it writes).
            if (ruleId.startsWith(".") && i < 0) {
                throw MatrixException.notFound("Unknown rule");
            }
            JsonNode v;
            if (attr.equals("enabled")) {
                v = content.isObject() && content.has("enabled") ? content.get("enabled") : content;
                if (!v.isBoolean()) {
                    throw MatrixException.unknown(400, "Value for 'enabled' must be boolean");
                }
            } else {
                if (!content.isObject()) {
                    throw MatrixException.unknown(400, "Value must be a dict");
                }
                v = content.get("actions");
                if (v == null || !v.isArray()) {
                    // Synapse's message, although it wants a list.
                    throw MatrixException.unknown(400, "Value for 'actions' must be dict");
                }
                checkActions(v, "Invalid actions: ");
            }
            if (i < 0) {
                throw MatrixException.notFound("Unknown rule");
            }
            ((ObjectNode) rules.get(i)).set(attr, v.deepCopy());
            changed(userId);
        });
    }

    private void changed(String userId) {
        model.sync().pushRulesChanged(userId);
        model.signal().bump();
    }

    private ArrayNode kind(String userId, String scope, String kind) {
        if (!scope.equals("global")) {
            throw new MatrixException(400, "M_UNRECOGNIZED", "Unrecognized request");
        }
        if (!KINDS.contains(kind)) {
            throw MatrixException.unknown(400, "Unknown template: " + kind);
        }
        return (ArrayNode) model.sync().pushRules(userId).path("global").get(kind);
    }

    private static int indexOf(ArrayNode rules, String ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).path("rule_id").asText().equals(ruleId)) {
                return i;
            }
        }
        return -1;
    }

    /** User rules go before the server's defaults of their kind, except the master rule, which stays first. */
    private static int userRulesEnd(ArrayNode rules, String kind) {
        for (int i = 0; i < rules.size(); i++) {
            JsonNode r = rules.get(i);
            if (r.path("default").asBoolean() && !r.path("rule_id").asText().equals(".m.rule.master")) {
                return i;
            }
        }
        return rules.size();
    }

    private static void checkActions(JsonNode actions, String prefix) {
        for (JsonNode a : actions) {
            boolean known = a.isTextual() && List.of("notify", "dont_notify", "coalesce").contains(a.asText())
                    || a.isObject() && a.has("set_tweak");
            if (!known) {
                throw MatrixException.unknown(400, prefix + "Unrecognised action " + (a.isTextual() ? a.asText() : a.toString()));
            }
        }
    }
}
