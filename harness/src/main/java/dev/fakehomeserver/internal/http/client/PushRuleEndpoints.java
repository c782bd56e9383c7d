package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.PushRules;
import dev.fakehomeserver.internal.model.Services;

/**
 * {@code /pushrules/}: Synapse's default rule set per user and the user's own rules, with Synapse's answers
 * ({@code rest/client/push_rule.py}); a change reaches the user's next sync as {@code m.push_rules} account
 * data. Paths keep Synapse's trailing slashes: {@code /pushrules/}, {@code /pushrules/global/}, and
 * {@code /pushrules/global/{kind}/} (an empty rule id) lists one kind.
 */
public final class PushRuleEndpoints {
    private final PushRules rules;

    public PushRuleEndpoints(Services services) {
        this.rules = new PushRules(services.model());
    }

    public void register(RouteTable.Builder r) {
        r.client("GET", "/pushrules/", AuthMode.REQUIRED, c -> rules.all(c.who().userId()).deepCopy());
        r.client("GET", "/pushrules/{scope}/", AuthMode.REQUIRED, this::scope);
        r.client("GET", "/pushrules/{scope}/{kind}/{ruleId}", AuthMode.REQUIRED,
                c -> rules.get(c.who().userId(), c.param("scope"), c.param("kind"), c.param("ruleId")).deepCopy());
        r.client("PUT", "/pushrules/{scope}/{kind}/{ruleId}", AuthMode.REQUIRED, this::put);
        r.client("DELETE", "/pushrules/{scope}/{kind}/{ruleId}", AuthMode.REQUIRED, c -> {
            rules.delete(c.who().userId(), c.param("scope"), c.param("kind"), c.param("ruleId"));
            return Json.object();
        });
        for (String attr : new String[] {"enabled", "actions"}) {
            r.client("GET", "/pushrules/{scope}/{kind}/{ruleId}/" + attr, AuthMode.REQUIRED,
                    c -> rules.attribute(c.who().userId(), c.param("scope"), c.param("kind"), c.param("ruleId"), attr));
            r.client("PUT", "/pushrules/{scope}/{kind}/{ruleId}/" + attr, AuthMode.REQUIRED, c -> {
                String userId = c.who().userId();
                rules.setAttribute(userId, c.param("scope"), c.param("kind"), c.param("ruleId"), attr, c.object());
                return Json.object();
            });
        }
    }

    private Object scope(Call c) {
        String userId = c.who().userId();
        if (!c.param("scope").equals("global")) {
            throw new MatrixException(400, "M_UNRECOGNIZED", "Unrecognized request");
        }
        return rules.all(userId).get("global").deepCopy();
    }

    private Object put(Call c) {
        String userId = c.who().userId();
        ObjectNode body = c.object();
        String ruleId = c.param("ruleId");
        if (ruleId.isEmpty()) {
            throw new MatrixException(400, "M_UNRECOGNIZED", "Unrecognised request: You probably wanted a trailing slash");
        }
        rules.put(userId, c.param("scope"), c.param("kind"), ruleId, body, c.query("before"), c.query("after"));
        return Json.object();
    }
}
