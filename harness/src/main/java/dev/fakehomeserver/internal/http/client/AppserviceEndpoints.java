package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.Services;

/**
 * {@code POST /_matrix/client/v1/appservice/{appserviceId}/ping} (MSC2659, Matrix 1.7), also under
 * {@code /unstable} as Synapse serves it. The checks run in Synapse's order (spec-digest §2.6, observed in
 * synapse-observed §9): token, appservice token, matching id, url set, and only then the body.
 */
public final class AppserviceEndpoints {
    private final Services s;

    public AppserviceEndpoints(Services services) {
        this.s = services;
    }

    public void register(RouteTable.Builder r) {
        r.add("POST", "/_matrix/client/v1/appservice/{appserviceId}/ping", AuthMode.REQUIRED, this::ping);
        r.add("POST", "/_matrix/client/unstable/appservice/{appserviceId}/ping", AuthMode.REQUIRED, this::ping);
    }

    private Object ping(Call c) {
        Requester r = c.who();
        if (!r.isAppservice()) {
            throw MatrixException.forbidden("Only application services can use the /appservice/ping endpoint");
        }
        Appservice as = r.appservice();
        if (!as.id().equals(c.param("appserviceId"))) {
            throw MatrixException.forbidden("Mismatching application service ID in path");
        }
        if (as.url() == null || as.url().isEmpty()) {
            throw new MatrixException(400, "M_URL_NOT_SET", "Application service URL is not set");
        }
        ObjectNode body = c.object();
        return s.calls().ping(as, body.get("transaction_id")).thenApply(ms -> {
            ObjectNode o = Json.object();
            o.put("duration_ms", ms);
            return o;
        });
    }
}
