package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.PushRules;
import dev.fakehomeserver.internal.model.Services;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /pushrules/...}: Synapse's default rule set per user and the user's own rules; a change reaches the
 * user's next sync as {@code m.push_rules} account data.
 *
 * <p>Synapse 1.94 serves one pattern, {@code pushrules/.*}, and reads the path itself ({@code
 * rest/client/push_rule.py}): the decoded path split on {@code /}, so an empty segment (a trailing slash) means
 * "the whole level" and a missing one "You probably wanted a trailing slash". This class reads it the same way,
 * recorded in {@code conversations/pushrules}: {@code /pushrules} 404, {@code /pushrules/} and {@code
 * /pushrules//x} the whole set, {@code /pushrules/global} 400, {@code /pushrules/global/} the global rule set,
 * {@code /pushrules/global/override/} one kind, {@code .../{ruleId}/{attr}} any attribute of the rule. One
 * difference: the fake's routes end five segments below {@code pushrules}, where Synapse ignores the rest.
 */
public final class PushRuleEndpoints {
    private static final String TRAILING_SLASH = "Unrecognised request: You probably wanted a trailing slash";
    private static final String[] DEPTHS = {"/{scope}", "/{kind}", "/{ruleId}", "/{attr}", "/{rest}"};

    private final PushRules rules;

    public PushRuleEndpoints(Services services) {
        this.rules = new PushRules(services.model());
    }

    public void register(RouteTable.Builder r) {
        StringBuilder path = new StringBuilder("/pushrules");
        for (String depth : DEPTHS) {
            path.append(depth);
            r.clientV1("GET", path.toString(), AuthMode.REQUIRED, this::get);
            r.clientV1("PUT", path.toString(), AuthMode.REQUIRED, this::put);
            r.clientV1("DELETE", path.toString(), AuthMode.REQUIRED, this::delete);
        }
    }

    /** The path below {@code pushrules/}, decoded then split as Synapse does (so {@code %2F} splits too). */
    private static List<String> parts(Call c) {
        List<String> decoded = new ArrayList<>();
        for (String name : new String[] {"scope", "kind", "ruleId", "attr", "rest"}) {
            String v = c.param(name);
            if (v == null) {
                break;
            }
            decoded.add(v);
        }
        return List.of(String.join("/", decoded).split("/", -1));
    }

    private static MatrixException unrecognized(String msg) {
        return new MatrixException(400, "M_UNRECOGNIZED", msg);
    }

    /** Synapse's {@code on_GET} and {@code _filter_ruleset_with_path}. */
    private Object get(Call c) {
        List<String> p = parts(c);
        ObjectNode all = rules.snapshot(c.who().userId());
        if (p.get(0).isEmpty()) {
            return all;
        }
        if (!p.get(0).equals("global")) {
            throw unrecognized("Unrecognized request");
        }
        JsonNode ruleset = all.get("global");
        if (p.size() < 2) {
            throw unrecognized(TRAILING_SLASH);
        }
        if (p.get(1).isEmpty()) {
            return ruleset;
        }
        if (!ruleset.has(p.get(1))) {
            throw unrecognized("Unrecognized request");
        }
        if (p.size() < 3) {
            throw unrecognized(TRAILING_SLASH);
        }
        JsonNode kind = ruleset.get(p.get(1));
        if (p.get(2).isEmpty()) {
            return kind;
        }
        JsonNode rule = null;
        for (JsonNode one : kind) {
            if (one.path("rule_id").asText().equals(p.get(2))) {
                rule = one;
            }
        }
        if (rule == null) {
            throw MatrixException.notFound("Not found");
        }
        if (p.size() < 4) {
            return rule;
        }
        if (!rule.has(p.get(3))) {
            throw unrecognized("Unrecognized request");
        }
        return Json.object().set(p.get(3), rule.get(p.get(3)));
    }

    /** Synapse's {@code _rule_spec_from_path}: scope, kind and rule id, and an attribute when one is named. */
    private record Spec(String kind, String ruleId, String attr) {
        static Spec of(List<String> p) {
            if (!p.get(0).equals("global") || p.size() < 2 || p.size() < 3 || p.get(2).isEmpty()) {
                throw unrecognized("Unrecognized request");
            }
            return new Spec(p.get(1), p.get(2), p.size() > 3 && !p.get(3).isEmpty() ? p.get(3) : null);
        }
    }

    private Object put(Call c) {
        String userId = c.who().userId();
        Spec s = Spec.of(parts(c));
        if (!PushRules.KINDS.contains(s.kind())) {
            throw MatrixException.unknown(400, "Unknown template: " + s.kind());
        }
        if (s.ruleId().contains("\\")) {
            throw MatrixException.unknown(400, "rule_id may not contain slashes");
        }
        JsonNode content = c.json();
        if (s.attr() != null) {
            rules.setAttribute(userId, s.kind(), s.ruleId(), s.attr(), content);
            return Json.object();
        }
        // Synapse looks keys up in whatever JSON came; in anything but an object it finds none.
        ObjectNode body = content instanceof ObjectNode o ? o : Json.object();
        rules.put(userId, "global", s.kind(), s.ruleId(), body, c.query("before"), c.query("after"));
        return Json.object();
    }

    /** Synapse deletes the rule whatever follows its id (an attribute included) and checks no kind first. */
    private Object delete(Call c) {
        Spec s = Spec.of(parts(c));
        rules.delete(c.who().userId(), s.kind(), s.ruleId());
        return Json.object();
    }
}
