package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.KeyBackups;
import dev.fakehomeserver.internal.model.Services;

/**
 * Server-side key backup versions ({@code /room_keys/version}), as Synapse 1.94's {@code room_keys} servlets
 * answer them: create, read (the current one or by number), update (the body's version must match, the
 * algorithm may not change) and delete; and the keys of a version ({@code /room_keys/keys}, all, a room's or one
 * session's): uploaded into the current version only, merged by Synapse's rule, read back and deleted, each
 * change counted in the version's etag.
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
        // Synapse's one pattern, /room_keys/keys(/(?P<room_id>[^/]+))?(/(?P<session_id>[^/]+))?$, as three routes.
        for (String path : new String[] {"/room_keys/keys", "/room_keys/keys/{roomId+}",
                "/room_keys/keys/{roomId+}/{sessionId+}"}) {
            r.clientWithUnstable("GET", path, AuthMode.REQUIRED, this::getKeys);
            r.clientWithUnstable("PUT", path, AuthMode.REQUIRED, this::putKeys);
            r.clientWithUnstable("DELETE", path, AuthMode.REQUIRED, this::deleteKeys);
        }
    }

    private static String versionParam(Call c) {
        String v = c.query("version");
        if (v == null) {
            throw MatrixException.missingParam("Missing string query parameter 'version'");
        }
        return v;
    }

    /** Any version, current or not, may be read; an unknown one is 404. */
    private String existingVersion(Call c, String userId) {
        String version = versionParam(c);
        if (!model.keyBackups().exists(userId, version)) {
            throw MatrixException.notFound("Unknown backup version");
        }
        return version;
    }

    private Object getKeys(Call c) {
        String userId = c.who().userId();
        String roomId = c.param("roomId");
        String sessionId = c.param("sessionId");
        return model.read(() -> {
            ObjectNode all = model.keyBackups().keys(userId, existingVersion(c, userId), roomId, sessionId);
            ObjectNode rooms = (ObjectNode) all.get("rooms");
            if (sessionId != null) {
                if (rooms.isEmpty()) {
                    throw MatrixException.notFound("No room_keys found");
                }
                return rooms.path(roomId).path("sessions").path(sessionId);
            }
            if (roomId != null) {
                // No sessions for the room is an empty answer, not an error (Synapse's comment: clients need
                // not handle an error for a valid empty result).
                return rooms.isEmpty() ? Json.object().set("sessions", Json.object()) : rooms.get(roomId);
            }
            return all;
        });
    }

    /**
     * Uploads keys into the current version (an older one is 403 {@code M_WRONG_ROOM_KEYS_VERSION} naming the
     * current one). The body is one key, a room's {@code sessions} or all {@code rooms}, by the path's depth.
     */
    private Object putKeys(Call c) {
        String userId = c.who().userId();
        ObjectNode body = c.object();
        String version = versionParam(c);
        String roomId = c.param("roomId");
        String sessionId = c.param("sessionId");
        ObjectNode rooms;
        if (roomId == null) {
            rooms = objectField(body, "rooms");
        } else {
            rooms = Json.object();
            rooms.set(roomId, sessionId == null ? body : Json.object().set("sessions",
                    Json.object().set(sessionId, body)));
        }
        return model.write(() -> {
            KeyBackups backups = model.keyBackups();
            Long current = backups.current(userId);
            if (current == null || !backups.exists(userId, version)) {
                throw MatrixException.notFound("Version '" + version + "' not found");
            }
            if (!current.toString().equals(version)) {
                throw new MatrixException(403, "M_WRONG_ROOM_KEYS_VERSION", "Wrong room_keys version")
                        .with("current_version", current.toString());
            }
            // Checked whole before anything is stored, so a refused upload changes nothing.
            rooms.fields().forEachRemaining(room -> objectField(asObject(room.getValue()), "sessions").fields()
                    .forEachRemaining(session -> checkKey(room.getKey(), session.getKey(), session.getValue())));
            boolean[] changed = {false};
            rooms.fields().forEachRemaining(room -> room.getValue().get("sessions").fields().forEachRemaining(
                    session -> changed[0] |= backups.put(userId, version, room.getKey(), session.getKey(),
                            (ObjectNode) session.getValue())));
            if (changed[0]) {
                backups.bumpEtag(userId, version);
            }
            return backups.etagAndCount(userId, version);
        });
    }

    private Object deleteKeys(Call c) {
        String userId = c.who().userId();
        return model.write(() -> {
            String version = existingVersion(c, userId);
            model.keyBackups().deleteKeys(userId, version, c.param("roomId"), c.param("sessionId"));
            // Synapse counts every delete as a change, even of nothing.
            model.keyBackups().bumpEtag(userId, version);
            return model.keyBackups().etagAndCount(userId, version);
        });
    }

    /**
     * One uploaded key: {@code is_verified} a boolean (Synapse's own check, 400 {@code M_INVALID_PARAM}, in its
     * words, missing space included), and the fields Synapse stores present. Synapse 1.94 answers 500 (a
     * KeyError) for a missing field or a room or session that is not an object; a correct server refuses the
     * body, here 400 {@code M_BAD_JSON}.
     */
    private static void checkKey(String roomId, String sessionId, JsonNode key) {
        ObjectNode k = asObject(key);
        JsonNode verified = k.get("is_verified");
        if (verified == null) {
            throw MatrixException.badJson("Missing is_verified in keys for session " + sessionId);
        }
        if (!verified.isBoolean()) {
            throw MatrixException.invalidParam("is_verified must be a boolean in keys for session " + sessionId
                    + " inroom " + roomId);
        }
        for (String field : new String[] {"first_message_index", "forwarded_count", "session_data"}) {
            if (k.get(field) == null) {
                throw MatrixException.badJson("Missing " + field + " in keys for session " + sessionId);
            }
        }
    }

    private static ObjectNode objectField(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isObject()) {
            throw MatrixException.badJson("'" + field + "' must be an object");
        }
        return (ObjectNode) v;
    }

    private static ObjectNode asObject(JsonNode v) {
        if (!v.isObject()) {
            throw MatrixException.badJson("Room keys must be objects");
        }
        return (ObjectNode) v;
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
