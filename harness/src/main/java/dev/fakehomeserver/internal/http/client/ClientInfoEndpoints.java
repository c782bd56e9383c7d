package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Notifications;
import dev.fakehomeserver.internal.model.Services;

/**
 * What clients ask once to set themselves up: {@code /capabilities}, {@code /voip/turnServer} (no TURN server:
 * {@code {}}, as Synapse answers without one) and {@code /notifications}.
 */
public final class ClientInfoEndpoints {
    private final HomeserverModel model;

    public ClientInfoEndpoints(Services services) {
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.client("GET", "/capabilities", AuthMode.REQUIRED, this::capabilities);
        r.client("GET", "/voip/turnServer", AuthMode.REQUIRED, c -> {
            c.who();
            return Json.object();
        });
        r.client("GET", "/notifications", AuthMode.REQUIRED, this::notifications);
    }

    /**
     * Synapse 1.94's answer, except what the fake does not do: there is no password change and no third-party
     * identifiers, so those say {@code enabled: false}.
     */
    private Object capabilities(Call c) {
        c.who();
        ObjectNode o = Json.object();
        ObjectNode caps = o.putObject("capabilities");
        caps.putObject("m.3pid_changes").put("enabled", false);
        caps.putObject("m.change_password").put("enabled", false);
        caps.putObject("m.get_login_token").put("enabled", false);
        ObjectNode versions = caps.putObject("m.room_versions");
        versions.put("default", "10");
        ObjectNode available = versions.putObject("available");
        for (int v = 1; v <= 11; v++) {
            available.put(Integer.toString(v), "stable");
        }
        caps.putObject("m.set_avatar_url").put("enabled", true);
        caps.putObject("m.set_displayname").put("enabled", true);
        return o;
    }

    /**
     * Synapse's {@code parse_integer} (any integer; a negative one is SQLite's "no limit"), at most 500.
     */
    private static int limit(Call c) {
        String v = c.query("limit");
        if (v == null) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(v);
            return limit < 0 ? 500 : Math.min(limit, 500);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter \"limit\" must be an integer");
        }
    }

    /** Synapse 1.94 hands {@code from} to SQLite as it is, where every number sorts before text: no bound. */
    private static long before(String from) {
        try {
            return from == null || from.isEmpty() ? Long.MAX_VALUE : Long.parseLong(from);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private Object notifications(Call c) {
        String userId = c.who().userId();
        int limit = limit(c);
        long before = before(c.query("from"));
        boolean highlights = "highlight".equals(c.query("only"));
        return model.read(() -> new Notifications(model, userId).list(before, limit, highlights));
    }
}
