package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.LintFinding;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.journal.Violation;
import java.util.HashSet;
import java.util.Set;

/**
 * What the fake holds against the appservice and its registration: {@code GET violations}
 * ({@code hs.violations()}, each marked whether {@code hs.unexpectedViolations()} counts it),
 * {@code POST violations/expect} ({@code hs.expectViolations()}), {@code POST violations/allow}
 * ({@code hs.allowViolation(errcode)}), and {@code GET lint} ({@code hs.lint()}: the registration warnings the
 * standalone banner prints too).
 */
final class ViolationControl {
    private final Homeserver hs;

    ViolationControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        String v = ControlApiRoutes.V1 + "/violations";
        r.add("GET", v, AuthMode.REQUIRED, this::violations);
        r.add("POST", v + "/expect", AuthMode.REQUIRED, Fields.only(call -> {
            hs.expectViolations();
            return Json.object();
        }));
        r.add("POST", v + "/allow", AuthMode.REQUIRED, Fields.only(this::allow, "errcode"));
        r.add("GET", ControlApiRoutes.V1 + "/lint", AuthMode.REQUIRED, call -> lint());
    }

    /**
     * {@code {"violations": [{"status", "errcode", "error", "what", "who", "unexpected", "request": {journal
     * record}}], "unexpected": N}}, oldest first.
     */
    private Object violations(Call call) {
        Set<Long> unexpected = new HashSet<>();
        hs.unexpectedViolations().forEach(v -> unexpected.add(v.request().seq()));
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("violations");
        for (Violation v : hs.violations()) {
            ObjectNode o = list.addObject();
            o.put("status", v.status());
            o.put("errcode", v.errcode());
            o.put("error", v.error());
            o.put("what", v.what());
            o.put("who", v.who());
            o.put("unexpected", unexpected.contains(v.request().seq()));
            o.set("request", JournalControl.toJson(v.request()));
        }
        out.put("unexpected", unexpected.size());
        return out;
    }

    /** {@code {"errcode": "M_NOT_FOUND"}}: refusals with it are no longer unexpected, until the next reset. */
    private Object allow(Call call) {
        String errcode = call.string("errcode");
        hs.allowViolation(errcode);
        return Json.object();
    }

    private Object lint() {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("findings");
        for (LintFinding f : hs.lint()) {
            list.addObject().put("appservice_id", f.registrationId()).put("field", f.field())
                    .put("line", f.line()).put("message", f.message());
        }
        return out;
    }
}
