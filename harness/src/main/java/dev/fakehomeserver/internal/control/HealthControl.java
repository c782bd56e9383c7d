package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.RouteTable;
import java.util.Map;

/**
 * {@code GET health} and {@code GET ready}: no token, so that a process supervisor or a CI script can probe the
 * server without knowing the secret. Neither reveals anything about the state.
 */
final class HealthControl {
    private final Homeserver hs;

    HealthControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        r.add("GET", ControlApiRoutes.V1 + "/health", AuthMode.NONE, call -> Map.of("status", "ok"));
        // Ready once the listener is bound and the registrations are loaded, which the constructor finished
        // before the first request could arrive; kept separate from health for supervisors that want both.
        r.add("GET", ControlApiRoutes.V1 + "/ready", AuthMode.NONE,
                call -> Map.of("ready", true, "server_name", hs.serverName()));
    }
}
