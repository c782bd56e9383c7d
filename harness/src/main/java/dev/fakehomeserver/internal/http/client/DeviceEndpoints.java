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

    public DeviceEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.client("GET", "/devices", AuthMode.REQUIRED, this::list);
        r.client("GET", "/devices/{deviceId}", AuthMode.REQUIRED, this::get);
        r.client("PUT", "/devices/{deviceId}", AuthMode.REQUIRED, this::put);
        r.client("DELETE", "/devices/{deviceId}", AuthMode.REQUIRED, this::delete);
        r.client("POST", "/delete_devices", AuthMode.REQUIRED, this::deleteMany);
    }

    private Object list(Call c) {
        return model.read(() -> {
            User u = model.user(c.who().userId());
            ArrayNode devices = Json.NODES.arrayNode();
            if (u != null) {
                u.devices().values().forEach(d -> devices.add(json(d)));
            }
            ObjectNode o = Json.object();
            o.set("devices", devices);
            return o;
        });
    }

    private Object get(Call c) {
        return model.read(() -> {
            return json(device(c.who().userId(), c.param("deviceId")));
        });
    }

    private Object put(Call c) {
        Requester r = c.who();
        JsonNode name = c.object().get("display_name");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw MatrixException.badJson("'display_name' must be a string");
        }
        String displayName = name == null || name.isNull() ? null : name.asText();
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

    private Object delete(Call c) {
        c.notJsonIsEmptyObject();
        Requester r = c.who();
        Object challenge = authenticate(c, r);
        if (challenge != null) {
            return challenge;
        }
        remove(r.userId(), List.of(c.param("deviceId")));
        return Json.object();
    }

    private Object deleteMany(Call c) {
        c.notJsonIsEmptyObject();
        Requester r = c.who();
        JsonNode ids = c.object().get("devices");
        if (ids == null || ids.isNull()) {
            throw MatrixException.missingParam("No devices supplied");
        }
        if (!ids.isArray()) {
            throw MatrixException.badJson("'devices' must be a list of device ids");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw MatrixException.badJson("'devices' must be a list of device ids");
            }
            list.add(id.asText());
        }
        Object challenge = authenticate(c, r);
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

    /**
     * User-interactive auth for deleting devices: appservices skip it; users need {@code auth} with their
     * password. The fake also accepts {@code m.login.dummy} (Synapse does not) so tests need not carry passwords;
     * it advertises only the password flow, as Synapse does.
     *
     * @return null when authenticated, else the 401 challenge to answer
     */
    private Object authenticate(Call c, Requester r) {
        if (r.isAppservice()) {
            return null;
        }
        JsonNode auth = c.object().get("auth");
        String type = auth == null ? "" : auth.path("type").asText("");
        if (type.equals("m.login.dummy")) {
            return null;
        }
        if (type.equals("m.login.password")) {
            User u = model.read(() -> model.user(r.userId()));
            String claimed = auth.path("identifier").path("user").asText(auth.path("user").asText(r.userId()));
            boolean sameUser = s.accounts().qualify(claimed).equals(r.userId());
            if (u != null && sameUser && s.accounts().checkPassword(u, auth.path("password").asText(null))) {
                return null;
            }
            ObjectNode ch = challenge();
            throw new MatrixException(401, "M_FORBIDDEN", "Invalid username or password")
                    .with("flows", ch.get("flows")).with("params", ch.get("params")).with("session", ch.get("session"));
        }
        return Response.json(401, challenge());
    }

    private ObjectNode challenge() {
        ObjectNode o = Json.object();
        o.putArray("flows").addObject().putArray("stages").add("m.login.password");
        o.putObject("params");
        o.put("session", model.ids().opaque());
        return o;
    }

    private User.Device device(String userId, String deviceId) {
        User u = model.user(userId);
        User.Device d = u == null ? null : u.device(deviceId);
        if (d == null) {
            throw MatrixException.notFound("Device not found");
        }
        return d;
    }

    private static ObjectNode json(User.Device d) {
        ObjectNode o = Json.object();
        o.put("device_id", d.deviceId());
        o.put("display_name", d.displayName());
        o.putNull("last_seen_ip");
        o.put("last_seen_ts", d.createdTs());
        return o;
    }
}
