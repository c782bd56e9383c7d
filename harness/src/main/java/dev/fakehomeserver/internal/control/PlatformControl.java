package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.BodyLimit;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.platform.Dashboard;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The hosting platform's dashboard ({@code hs.dashboard()}; docs/platform.md): {@code GET platform} (plan,
 * bridges, restart state), {@code POST platform/appservices} (the registration YAML as the body: the dashboard's
 * "Register new", with its url check and restart), {@code DELETE platform/appservices/{id}} ("Remove"),
 * {@code GET platform/logs/appservices} ("Server → Logs → Appservices": the failed requests to appservices). Without
 * the platform's rules each answers 404 {@code M_NOT_FOUND} saying how to turn them on.
 */
final class PlatformControl {
    private final Homeserver hs;

    PlatformControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        String base = ControlApiRoutes.V1 + "/platform";
        r.add("GET", base, AuthMode.REQUIRED, call -> describe());
        r.add("POST", base + "/appservices", AuthMode.REQUIRED,
                new BodyLimit(AppserviceControl.MAX_REGISTRATION_BYTES, "Registration too large"), this::add);
        r.add("DELETE", base + "/appservices/{id}", AuthMode.REQUIRED, this::remove);
        r.add("GET", base + "/logs/appservices", AuthMode.REQUIRED, call -> logs());
    }

    private Dashboard dashboard() {
        if (hs.hostedPlatform().isEmpty()) {
            throw MatrixException.notFound("The hosting platform's rules are off: start the fake with --platform "
                    + "PLAN (free, starter, pro, business) or hostedPlatform(Plan.PRO)");
        }
        return hs.dashboard();
    }

    private ObjectNode describe() {
        Dashboard d = dashboard();
        ObjectNode o = Json.object();
        o.put("plan", d.plan().name().toLowerCase(java.util.Locale.ROOT));
        o.put("limit", d.plan().limitInWords());
        ArrayNode bridges = o.putArray("managed_bridges");
        d.managedBridges().forEach(b -> bridges.add(AppserviceControl.describe(b, hs.serverName())));
        restart(o, d);
        return o;
    }

    private static void restart(ObjectNode o, Dashboard d) {
        o.put("restarting", d.restarting());
        o.put("restart_ends_at", d.restartEndsAt().map(Object::toString).orElse(null));
    }

    /** On a worker: the url check may ask the system resolver, which must not hold the IO thread. */
    private Object add(Call call) {
        Dashboard d = dashboard();
        String yaml = new String(call.body(), StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> {
            Registration reg;
            try {
                reg = d.register(yaml);
            } catch (IllegalArgumentException e) {
                // The loader's, the url check's and the platform's refusals name the field (and the line).
                throw MatrixException.invalidParam(AppserviceControl.truncated(e.getMessage()));
            }
            ObjectNode o = AppserviceControl.describe(reg, hs.serverName());
            restart(o, d);
            return o;
        });
    }

    /** Server → Logs → Appservices: the failed requests to appservices, as {@code GET transactions} renders them. */
    private ObjectNode logs() {
        ObjectNode o = Json.object();
        ArrayNode entries = o.putArray("entries");
        dashboard().appserviceLogs().forEach(t -> entries.add(PushControl.toJson(t)));
        return o;
    }

    private Object remove(Call call) {
        Dashboard d = dashboard();
        FacadeCalls.run(() -> d.remove(call.param("id")));
        ObjectNode o = Json.object();
        restart(o, d);
        return o;
    }
}
