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

/**
 * Saved sync filters, with Synapse's checks in Synapse's order ({@code rest/client/filter.py}): the path's user
 * id parses before the token is looked at (400 {@code M_INVALID_PARAM}), then only for oneself (403), then the
 * body is Synapse's filter schema ({@link FilterSchema}, 400 {@code M_UNKNOWN}); ids are integers per user.
 * Synapse 1.94 answers 500 for a {@code room} that is not an object and for a timeline {@code limit} that is not
 * a number (its upper-limit clamp runs before the schema check) and for an id beyond its database's integers;
 * here those are the 400s of their kind (recorded in {@code conversations/filters}).
 */
public final class FilterEndpoints {
    private final HomeserverModel model;

    public FilterEndpoints(Services services) {
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.client("POST", "/user/{userId}/filter", AuthMode.LATE, this::create);
        r.client("GET", "/user/{userId}/filter/{filterId}", AuthMode.LATE, this::get);
    }

    private Object create(Call c) {
        SynapseIds.userId(c.param("userId"));
        Requester r = c.who();
        if (!c.param("userId").equals(r.userId())) {
            throw MatrixException.forbidden("Cannot create filters for other users");
        }
        ObjectNode body = c.object();
        FilterSchema.check(body);
        String id = model.write(() -> model.sync().addFilter(r.userId(), body.deepCopy()));
        return Json.object().put("filter_id", id);
    }

    private Object get(Call c) {
        SynapseIds.userId(c.param("userId"));
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
