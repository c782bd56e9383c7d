package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Services;

/**
 * Server-side key backup versions ({@code /room_keys/version}), as Synapse 1.94's {@code room_keys} servlets
 * answer them: create, read (the current one or by number), update (the body's version must match, the
 * algorithm may not change) and delete. The backed-up keys are not kept: {@code /room_keys/keys} is empty.
 */
public final class KeyBackupEndpoints {
    private static final String NO_BACKUP = "No backup found";
    private final HomeserverModel model;

    public KeyBackupEndpoints(Services services) {
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.clientWithUnstable("GET", "/room_keys/version", AuthMode.REQUIRED, c -> version(c, null));
        r.clientWithUnstable("POST", "/room_keys/version", AuthMode.REQUIRED, this::create);
        r.clientWithUnstable("GET", "/room_keys/version/{version}", AuthMode.REQUIRED,
                c -> version(c, c.param("version")));
        r.clientWithUnstable("PUT", "/room_keys/version/{version}", AuthMode.REQUIRED, this::update);
        r.clientWithUnstable("DELETE", "/room_keys/version/{version}", AuthMode.REQUIRED, this::delete);
        r.clientWithUnstable("GET", "/room_keys/keys", AuthMode.REQUIRED, c -> {
            c.who();
            if (c.query("version") == null) {
                throw MatrixException.missingParam("Missing string query parameter 'version'");
            }
            return Json.object().set("rooms", Json.object());
        });
    }

    private Object version(Call c, String version) {
        String userId = c.who().userId();
        ObjectNode info = model.read(() -> model.keyBackups().get(userId, version));
        if (info == null) {
            throw MatrixException.notFound(NO_BACKUP);
        }
        return info;
    }

    private Object create(Call c) {
        String userId = c.who().userId();
        ObjectNode body = c.object();
        // Synapse 1.94 answers 500 (a KeyError) without these; a correct server refuses the request.
        JsonNode algorithm = required(body, "algorithm");
        JsonNode authData = required(body, "auth_data");
        String v = model.write(() -> model.keyBackups().create(userId, algorithm.asText(), authData));
        return Json.object().put("version", v);
    }

    private Object update(Call c) {
        String userId = c.who().userId();
        String version = c.param("version");
        ObjectNode body = c.object();
        if (body.has("version") && !version.equals(body.get("version").asText(null))) {
            throw MatrixException.invalidParam("Version in body does not match");
        }
        JsonNode algorithm = required(body, "algorithm");
        JsonNode authData = required(body, "auth_data");
        return model.write(() -> {
            ObjectNode old = model.keyBackups().get(userId, version);
            if (old == null) {
                throw MatrixException.notFound("Unknown backup version");
            }
            if (!old.path("algorithm").asText().equals(algorithm.asText())) {
                throw MatrixException.invalidParam("Algorithm does not match");
            }
            model.keyBackups().update(userId, version, authData);
            return Json.object();
        });
    }

    private Object delete(Call c) {
        String userId = c.who().userId();
        boolean deleted = model.write(() -> model.keyBackups().delete(userId, c.param("version")));
        if (!deleted) {
            throw MatrixException.notFound("Unknown backup version");
        }
        return Json.object();
    }

    private static JsonNode required(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw MatrixException.missingParam("Missing params: " + field);
        }
        return v;
    }
}
