package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.console.ChangeWaiters;
import dev.fakehomeserver.internal.console.ConsoleSessions;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import java.nio.charset.StandardCharsets;

/**
 * What the web console needs beyond the rest of the control API: {@code POST console/login} trades a one-time
 * code from a console link for a session credential (no token needed: the code is the proof),
 * {@code POST console/logout} ends it, {@code GET console/session} tells a page whether its credential still
 * works, and {@code GET changes?since=V} is the long poll that wakes pages when the model's change signal
 * moves, so they update as things happen instead of on a clock. docs/console.md describes them.
 */
final class ConsoleControl {
    private final Homeserver hs;
    private final ConsoleSessions sessions;
    private final ChangeWaiters changes;

    ConsoleControl(Homeserver hs, ConsoleSessions sessions, ChangeWaiters changes) {
        this.hs = hs;
        this.sessions = sessions;
        this.changes = changes;
    }

    void register(RouteTable.Builder r) {
        String console = ControlApiRoutes.V1 + "/console";
        r.add("POST", console + "/login", AuthMode.NONE, Fields.only(this::login, "code"));
        r.add("POST", console + "/logout", AuthMode.REQUIRED, Fields.only(this::logout));
        r.add("GET", console + "/session", AuthMode.REQUIRED, call -> Json.object()
                .put("server_name", hs.serverName()).put("version", changes.version()));
        r.add("GET", ControlApiRoutes.V1 + "/changes", AuthMode.REQUIRED, this::changes);
    }

    /** {@code {"code": "..."}} to {@code {"session": "fhc_..."}}; a used, expired or unknown code is 403. */
    private Object login(Call call) {
        String session = sessions.redeem(call.string("code"));
        if (session == null) {
            throw MatrixException.forbidden("This console link was already used or has expired: print a new one"
                    + " (hs.consoleUrl(), or log in with the control token)");
        }
        return Json.object().put("session", session);
    }

    private Object logout(Call call) {
        String h = call.header("authorization");
        if (h != null && h.startsWith("Bearer ")) {
            sessions.end(h.substring(7).getBytes(StandardCharsets.UTF_8));
        }
        return Json.object();
    }

    /**
     * {@code ?since=V}: answers {@code {"version": W}} as soon as the change signal's version W differs from V
     * (at once when it already does), or after {@link ChangeWaiters#WAIT} with W equal to V. Without
     * {@code since} it answers the current version at once.
     */
    private Object changes(Call call) {
        String since = call.query("since");
        if (since == null) {
            return Json.object().put("version", changes.version());
        }
        long v;
        try {
            v = Long.parseLong(since);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("'since' must be a version number from a previous answer");
        }
        return FacadeCalls.call(() -> changes.next(v)).thenApply(version -> Json.object().put("version", version));
    }
}
