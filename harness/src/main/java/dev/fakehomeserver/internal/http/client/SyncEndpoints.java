package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Ephemeral;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.SyncData;
import dev.fakehomeserver.internal.model.SyncFilter;
import dev.fakehomeserver.internal.model.SyncStream;
import dev.fakehomeserver.internal.model.SyncToken;
import dev.fakehomeserver.internal.model.SyncRequest;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /sync} (Synapse's {@code SyncRestServlet}; there is no {@code POST}: Synapse answers it 405). An
 * initial sync, or one with {@code timeout=0}, or one that finds news, is answered at once; otherwise the
 * request is held without a thread ({@link SyncWaiters}) until news arrives or the timeout passes.
 */
public final class SyncEndpoints {
    private final HomeserverModel model;
    private final SyncStream stream;
    private final SyncWaiters waiters;

    public SyncEndpoints(Services services) {
        this.model = services.model();
        this.stream = new SyncStream(model);
        this.waiters = new SyncWaiters(model, stream);
    }

    public void register(RouteTable.Builder r) {
        r.client("GET", "/sync", AuthMode.REQUIRED, this::sync);
    }

    private Object sync(Call c) {
        Requester r = c.who();
        long timeout = timeout(c);
        SyncToken since = c.query("since") == null ? null : SyncToken.parse(c.query("since"));
        boolean fullState = bool(c, "full_state");
        String presence = QueryParams.oneOf(c, "set_presence", "online", "online", "offline", "unavailable");
        SyncFilter filter = filter(c, r.userId());
        setPresence(r.userId(), presence);
        SyncRequest req = new SyncRequest(r.userId(), r.deviceId(),
                SyncData.scopeOf(r.userId(), r.deviceId(), r.appserviceId()), since, fullState, filter);
        SyncStream.Result result = stream.sync(req);
        if (since == null || timeout == 0 || result.hasNews()) {
            return result.body();
        }
        return waiters.hold(req, timeout);
    }

    /**
     * Synapse marks a syncing user online (or {@code unavailable}); {@code offline} leaves presence alone.
     * Only a change is published, so a client polling every second does not flood the appservice.
     */
    private void setPresence(String userId, String state) {
        if (state.equals("offline")) {
            return;
        }
        Ephemeral eph = model.ephemeral();
        model.write(() -> {
            Ephemeral.Presence p = eph.presence(userId);
            if (p == null || !p.presence().equals(state)) {
                eph.setPresence(userId, state, p == null ? null : p.statusMsg());
            }
        });
    }

    private static long timeout(Call c) {
        String v = c.query("timeout");
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter 'timeout' must be an integer");
        }
    }

    private static boolean bool(Call c, String name) {
        String v = c.query(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw MatrixException.invalidParam("Boolean query parameter '" + name + "' must be one of ['true', 'false']");
    }

    /** Inline JSON when it starts with {@code {}, else a filter id saved with {@code POST /user/{u}/filter}. */
    private SyncFilter filter(Call c, String userId) {
        String f = c.query("filter");
        if (f == null || f.isEmpty()) {
            return SyncFilter.ALL;
        }
        if (f.startsWith("{")) {
            JsonNode json;
            try {
                json = Json.parse(f.getBytes(StandardCharsets.UTF_8));
            } catch (MatrixException e) {
                throw MatrixException.notJson("Invalid filter JSON");
            }
            return SyncFilter.parse(json);
        }
        JsonNode stored = null;
        try {
            int id = Integer.parseInt(f);
            stored = model.read(() -> model.sync().filter(userId, id));
        } catch (NumberFormatException e) {
            // not a number: no such filter either
        }
        if (stored == null) {
            throw MatrixException.invalidParam("No such filter");
        }
        return SyncFilter.parse(stored);
    }
}
