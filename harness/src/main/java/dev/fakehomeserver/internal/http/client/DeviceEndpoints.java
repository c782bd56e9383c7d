package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Ids;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.User;
import java.util.ArrayList;
import java.util.List;

/**
 * Devices (Synapse's {@code devices.py}), with current Synapse's appservice rules (MSC4190, spec-digest §4.9):
 * an appservice's {@code PUT} creates a missing device (201), and its deletes skip user-interactive auth.
 */
public final class DeviceEndpoints {
    private final Services s;
    private final HomeserverModel model;
    private final UserInteractiveAuth uia;

    public DeviceEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
        this.uia = new UserInteractiveAuth(services);
    }

    public void register(RouteTable.Builder r) {
        r.clientWithUnstable("GET", "/devices", AuthMode.REQUIRED, this::list);
        r.clientWithUnstable("GET", "/devices/{deviceId}", AuthMode.REQUIRED, this::get);
        r.clientWithUnstable("PUT", "/devices/{deviceId}", AuthMode.REQUIRED, this::put);
        r.clientWithUnstable("DELETE", "/devices/{deviceId}", AuthMode.REQUIRED, this::delete);
        r.clientWithUnstable("POST", "/delete_devices", AuthMode.REQUIRED, this::deleteMany);
    }

    private Object list(Call c) {
        return model.read(() -> {
            User u = model.user(c.who().userId());
            ArrayNode devices = Json.NODES.arrayNode();
            if (u != null) {
                u.devices().values().forEach(d -> devices.add(json(u.userId(), d)));
            }
            ObjectNode o = Json.object();
            o.set("devices", devices);
            return o;
        });
    }

    private Object get(Call c) {
        return model.read(() -> {
            String userId = c.who().userId();
            return json(userId, device(userId, c.param("deviceId")));
        });
    }

    private Object put(Call c) {
        Requester r = c.who();
        JsonNode name = c.object().get("display_name");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw MatrixException.badJson("'display_name' must be a string");
        }
        String displayName = name == null || name.isNull() ? null : name.asText();
        if (displayName != null && displayName.codePointCount(0, displayName.length()) > 100) {
            throw new MatrixException(400, "M_TOO_LARGE", "Device display name is too long (max 100)");
        }
        return model.write(() -> {
            User u = model.user(r.userId());
            String id = c.param("deviceId");
            User.Device d = u == null ? null : u.device(id);
            if (d == null && r.isAppservice() && u != null) {
                // MSC4190: appservices create their ghosts' devices this way (Synapse 1.94 answered 404 here).
                u.addDevice(new User.Device(id, displayName, model.now()));
                model.signal().bump();
                return Response.json(201, Json.object());
            }
            if (d == null) {
                throw MatrixException.notFound("Device not found");
            }
            if (name != null) {
                d.displayName(displayName);
                model.signal().bump();
            }
            return Json.object();
        });
    }

    /** Synapse: a body that is not JSON reads as {@code {}}; any other bad body is refused. */
    private Object delete(Call c) {
        c.notJsonIsEmptyObject();
        Requester r = c.who();
        ObjectNode auth = UserInteractiveAuth.authField(c.object());
        Object challenge = uia.check(c, r, auth);
        if (challenge != null) {
            return challenge;
        }
        remove(r.userId(), List.of(c.param("deviceId")));
        return Json.object();
    }

    /**
     * Synapse's pydantic body ({@code devices: List[StrictStr]}, {@code auth}) before user-interactive auth. A
     * body that is not JSON reads as {@code {}} and then lacks {@code devices}: Synapse 1.94 answers 500 there
     * (its model is built outside the validation), the fake 400 {@code M_MISSING_PARAM}.
     */
    private Object deleteMany(Call c) {
        c.notJsonIsEmptyObject();
        Requester r = c.who();
        ObjectNode body = c.object();
        JsonNode ids = body.get("devices");
        if (ids == null) {
            throw MatrixException.missingParam("devices: field required");
        }
        if (!ids.isArray()) {
            throw MatrixException.badJson("devices: value is not a valid list");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw MatrixException.badJson("devices: str type expected");
            }
            list.add(id.asText());
        }
        ObjectNode auth = UserInteractiveAuth.authField(body);
        Object challenge = uia.check(c, r, auth);
        if (challenge != null) {
            return challenge;
        }
        remove(r.userId(), list);
        return Json.object();
    }

    /** Deletes devices and ends their sessions; unknown ids are skipped, as Synapse skips them. */
    private void remove(String userId, List<String> deviceIds) {
        model.write(() -> {
            User u = model.user(userId);
            for (String id : deviceIds) {
                if (u != null) {
                    u.removeDevice(id);
                }
                model.endSessionsOf(userId, id);
            }
            model.signal().bump();
        });
    }

    private User.Device device(String userId, String deviceId) {
        User u = model.user(userId);
        User.Device d = u == null ? null : u.device(deviceId);
        if (d == null) {
            throw MatrixException.notFound("Device not found");
        }
        return d;
    }

    private static ObjectNode json(String userId, User.Device d) {
        ObjectNode o = Json.object();
        o.put("user_id", userId);
        o.put("device_id", d.deviceId());
        o.put("display_name", d.displayName());
        o.putNull("last_seen_ip");
        o.put("last_seen_ts", d.createdTs());
        return o;
    }
}
