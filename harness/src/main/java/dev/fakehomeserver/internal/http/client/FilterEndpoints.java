package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.SyncFilter;

/**
 * Saved sync filters, with Synapse's checks ({@code rest/client/filter.py}): only for oneself, ids are
 * integers per user. A filter whose known fields have the wrong shape is 400 {@code M_BAD_JSON} here; Synapse
 * 1.94 answers some of those (a string {@code limit}) with a 500.
 */
public final class FilterEndpoints {
    private final HomeserverModel model;

    public FilterEndpoints(Services services) {
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.client("POST", "/user/{userId}/filter", AuthMode.REQUIRED, this::create);
        r.client("GET", "/user/{userId}/filter/{filterId}", AuthMode.REQUIRED, this::get);
    }

    private Object create(Call c) {
        Requester r = c.who();
        if (!c.param("userId").equals(r.userId())) {
            throw MatrixException.forbidden("Cannot create filters for other users");
        }
        ObjectNode body = c.object();
        SyncFilter.parse(body);
        String id = model.write(() -> model.sync().addFilter(r.userId(), body.deepCopy()));
        return Json.object().put("filter_id", id);
    }

    private Object get(Call c) {
        Requester r = c.who();
        if (!c.param("userId").equals(r.userId())) {
            throw MatrixException.forbidden("Cannot get filters for other users");
        }
        int id;
        try {
            id = Integer.parseInt(c.param("filterId"));
        } catch (NumberFormatException e) {
            throw MatrixException.unknown(400, "Invalid filter_id");
        }
        JsonNode f = model.read(() -> model.sync().filter(r.userId(), id));
        if (f == null) {
            throw MatrixException.notFound("No such filter");
        }
        return f;
    }
}
