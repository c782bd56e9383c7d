package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.coverage.Coverage;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import java.util.Map;

/**
 * The scenario coverage, for suites in other languages (docs/coverage.md): {@code GET coverage}
 * ({@code hs.coverage()}: per appservice, each behaviour seen with its count, and those missing),
 * {@code GET coverage/catalogue} (every behaviour with how to make it happen) and {@code POST coverage/record}
 * ({@code hs.recordBehaviour(id, behaviour)}, for what the fake cannot see, such as a forged push).
 */
public final class CoverageControl {
    private final Homeserver hs;

    CoverageControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        String base = ControlApiRoutes.V1 + "/coverage";
        r.add("GET", base, AuthMode.REQUIRED, call -> toJson(hs.coverage()));
        r.add("GET", base + "/catalogue", AuthMode.REQUIRED, call -> catalogue());
        r.add("POST", base + "/record", AuthMode.REQUIRED, Fields.only(this::record, "appservice_id", "behaviour"));
    }

    /**
     * {@code {"behaviours": 29, "appservices": {"weather": {"covered": 2, "counts": {"transaction-retried": 1,
     * "ping": 3}, "missing": ["duplicate-txn-id", ...]}}}}: the JSON form of a {@link Coverage}, the same the
     * standalone jar's {@code --coverage FILE.json} writes.
     */
    public static ObjectNode toJson(Coverage c) {
        ObjectNode out = Json.object();
        out.put("behaviours", Behaviour.values().length);
        ObjectNode all = out.putObject("appservices");
        for (String as : c.appservices()) {
            ObjectNode o = all.putObject(as);
            Map<Behaviour, Long> counts = c.counts(as);
            o.put("covered", counts.size());
            ObjectNode byId = o.putObject("counts");
            counts.forEach((b, n) -> byId.put(b.id(), n));
            ArrayNode missing = o.putArray("missing");
            c.missing(as).forEach(b -> missing.add(b.id()));
        }
        return out;
    }

    private static Object catalogue() {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("behaviours");
        for (Behaviour b : Behaviour.values()) {
            list.addObject().put("id", b.id()).put("title", b.title()).put("how_to", b.howTo());
        }
        return out;
    }

    /** {@code {"appservice_id": "weather", "behaviour": "wrong-hs-token"}}; answers the appservice's coverage. */
    private Object record(Call call) {
        String id = call.string("appservice_id");
        String behaviour = call.string("behaviour");
        FacadeCalls.run(() -> hs.recordBehaviour(id, Behaviour.byId(behaviour)));
        return toJson(hs.coverage());
    }
}
