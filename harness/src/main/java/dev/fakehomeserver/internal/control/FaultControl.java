package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.faults.Fault;
import dev.fakehomeserver.faults.FaultRule;
import dev.fakehomeserver.faults.Faults;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import java.time.Duration;

/**
 * Fault injection on the client-server API, as {@code hs.faults().on(..)} installs it (the same rules, so the
 * same matching and the same {@code [injected fault]} marker): {@code POST faults} adds a rule,
 * {@code GET faults} lists them with their hits, {@code DELETE faults} removes every rule and every appservice
 * fault.
 */
final class FaultControl {
    private final Homeserver hs;

    FaultControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        r.add("POST", ControlApiRoutes.V1 + "/faults", AuthMode.REQUIRED,
                Fields.only(this::add, "method", "path", "user_id", "times", "respond", "delay_ms", "drop"));
        r.add("GET", ControlApiRoutes.V1 + "/faults", AuthMode.REQUIRED, call -> list());
        r.add("DELETE", ControlApiRoutes.V1 + "/faults", AuthMode.REQUIRED, call -> {
            hs.faults().clear();
            return Json.object();
        });
    }

    /**
     * {@code {"method": "PUT", "path": "/rooms/{roomId}/send/*", "user_id"?, "times"?} } and exactly one of
     * {@code "respond": {"status", "errcode"?, "error"?, "retry_after_ms"?}}, {@code "delay_ms": N},
     * {@code "drop": true}.
     */
    private Object add(Call call) {
        ObjectNode body = call.object();
        Faults.Builder b = hs.faults().on(call.string("method"), call.string("path"));
        String user = call.optString("user_id");
        if (user != null) {
            b.forUser(user);
        }
        JsonNode times = body.get("times");
        if (times != null) {
            if (!times.isIntegralNumber() || times.asLong() < 1 || times.asLong() > Integer.MAX_VALUE) {
                throw MatrixException.badJson("'times' must be a positive integer");
            }
            b.times(times.asInt());
        }
        JsonNode respond = body.get("respond");
        JsonNode delay = body.get("delay_ms");
        boolean drop = call.optBool("drop", false);
        int given = (respond != null ? 1 : 0) + (delay != null ? 1 : 0) + (drop ? 1 : 0);
        if (given != 1) {
            throw MatrixException.invalidParam("Give exactly one of 'respond', 'delay_ms', 'drop'");
        }
        FaultRule rule;
        if (drop) {
            rule = b.dropConnection();
        } else if (delay != null) {
            if (!delay.isIntegralNumber() || delay.asLong() < 0) {
                throw MatrixException.badJson("'delay_ms' must be a non-negative integer");
            }
            rule = b.delay(Duration.ofMillis(delay.asLong()));
        } else {
            rule = respond(b, respond);
        }
        return describe(rule);
    }

    private static FaultRule respond(Faults.Builder b, JsonNode r) {
        if (!r.isObject() || !r.path("status").isIntegralNumber()) {
            throw MatrixException.badJson("'respond' must be an object with an integer 'status'");
        }
        Fields.check(r, "'respond'", java.util.Set.of("status", "errcode", "error", "retry_after_ms"));
        int status = r.get("status").asInt();
        JsonNode retry = r.get("retry_after_ms");
        return FacadeCalls.call(() -> {
            if (retry != null) {
                if (status != 429 || !retry.isIntegralNumber()) {
                    throw new IllegalArgumentException("'retry_after_ms' (an integer) goes with status 429 only");
                }
                return b.respondLimitExceeded(retry.asLong());
            }
            if (r.has("errcode")) {
                return b.respond(status, r.path("errcode").asText(), r.path("error").asText("Injected failure"));
            }
            return b.respond(status);
        });
    }

    private Object list() {
        ObjectNode out = Json.object();
        ArrayNode rules = out.putArray("rules");
        hs.faults().rules().forEach(r -> rules.add(describe(r)));
        return out;
    }

    private static ObjectNode describe(FaultRule r) {
        ObjectNode o = Json.object();
        o.put("rule", r.toString());
        Fault f = r.fault();
        o.put("fault", f instanceof Fault.Respond ? "respond" : f instanceof Fault.Delay ? "delay" : "drop");
        o.put("hits", r.hits());
        o.put("remaining", r.remaining());
        return o;
    }
}
