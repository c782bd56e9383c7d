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
import dev.fakehomeserver.internal.model.SyncData;
import dev.fakehomeserver.internal.model.SyncFilter;
import dev.fakehomeserver.internal.model.SyncStream;
import dev.fakehomeserver.internal.model.SyncToken;
import dev.fakehomeserver.internal.model.SyncRequest;
import dev.fakehomeserver.internal.model.User;
import java.util.Iterator;
import java.util.Map;

/**
 * End-to-end encryption's plumbing, as far as clients need it to carry on: device keys are stored and
 * returned (the caller's own device included: nheko loops without it), one-time keys are counted and claimed
 * once, fallback keys are claimed without being used up, to-device messages are delivered once in the
 * recipient's next sync. Nothing is verified or encrypted ({@link CrossSigningEndpoints} and
 * {@link KeyBackupEndpoints} keep cross-signing keys and backup versions). Shapes and errors as Synapse 1.94
 * answered them.
 */
public final class KeysEndpoints {
    private final HomeserverModel model;
    private final SyncStream stream;

    public KeysEndpoints(Services services) {
        this.model = services.model();
        this.stream = new SyncStream(model);
    }

    public void register(RouteTable.Builder r) {
        r.client("POST", "/keys/upload", AuthMode.REQUIRED, this::upload);
        // The device in the path is the one uploaded for (Synapse only logs a warning when it is not the caller's).
        r.client("POST", "/keys/upload/{deviceId}", AuthMode.REQUIRED, this::upload);
        r.client("POST", "/keys/query", AuthMode.REQUIRED, this::query);
        r.client("POST", "/keys/claim", AuthMode.REQUIRED, this::claim);
        r.client("GET", "/keys/changes", AuthMode.REQUIRED, this::changes);
        r.client("PUT", "/sendToDevice/{eventType}/{txnId}", AuthMode.REQUIRED, this::sendToDevice);
    }

    /**
     * Synapse is lenient here: device and fallback keys of the wrong shape are ignored, not refused. A one-time
     * key id already uploaded with another key is refused; {@code one_time_keys} that is not an object, or a key
     * id without exactly one colon, Synapse 1.94 answers with a 500, the fake with a 400.
     */
    private Object upload(Call c) {
        Requester r = c.who();
        ObjectNode body = c.object();
        String deviceId = c.param("deviceId") != null ? c.param("deviceId") : r.deviceId();
        if (deviceId == null) {
            throw MatrixException.unknown(400, "To upload keys, you must pass device_id when authenticating");
        }
        JsonNode otkField = body.get("one_time_keys");
        if (otkField != null && !otkField.isNull() && !otkField.isObject()) {
            throw MatrixException.badJson("'one_time_keys' must be a JSON object");
        }
        return model.write(() -> {
            SyncData data = model.sync();
            if (body.get("device_keys") instanceof ObjectNode keys) {
                data.putDeviceKeys(r.userId(), deviceId, keys.deepCopy());
            }
            if (otkField instanceof ObjectNode otks) {
                Map<String, JsonNode> stored = data.oneTimeKeys(r.userId(), deviceId);
                otks.fields().forEachRemaining(e -> {
                    if (e.getKey().split(":", -1).length != 2) {
                        throw MatrixException.badJson("One-time key ids are ALGORITHM:ID: " + e.getKey());
                    }
                    JsonNode old = stored.get(e.getKey());
                    if (old != null && !old.equals(e.getValue())) {
                        throw MatrixException.unknown(400, "One time key " + e.getKey() + " already exists. Old key: "
                                + old + "; new key: " + e.getValue());
                    }
                });
                otks.fields().forEachRemaining(e -> stored.putIfAbsent(e.getKey(), e.getValue().deepCopy()));
            }
            for (String field : new String[] {"fallback_keys", "org.matrix.msc2732.fallback_keys"}) {
                if (body.get(field) instanceof ObjectNode fbs) {
                    Map<String, JsonNode> stored = data.fallbackKeys(r.userId(), deviceId);
                    // One fallback key per algorithm: a new upload replaces the old one.
                    fbs.fields().forEachRemaining(e -> {
                        String alg = e.getKey().substring(0, Math.max(0, e.getKey().indexOf(':')));
                        stored.keySet().removeIf(k -> k.startsWith(alg + ":"));
                        stored.put(e.getKey(), e.getValue().deepCopy());
                    });
                }
            }
            model.signal().bump();
            return Json.object().set("one_time_key_counts", data.oneTimeKeyCounts(r.userId(), deviceId));
        });
    }

    private Object query(Call c) {
        c.who();
        if (!(c.object().get("device_keys") instanceof ObjectNode wanted)) {
            throw MatrixException.badJson("'device_keys' must be a JSON object");
        }
        wanted.fields().forEachRemaining(e -> {
            boolean strings = e.getValue().isArray();
            for (JsonNode d : e.getValue()) {
                strings &= d.isTextual();
            }
            if (!strings) {
                throw MatrixException.badJson("'device_keys' values must be a list of strings");
            }
        });
        wanted.fieldNames().forEachRemaining(SynapseIds::userId);
        Requester r = c.requester();
        return model.read(() -> {
            ObjectNode out = Json.object();
            ObjectNode keys = out.putObject("device_keys");
            wanted.fields().forEachRemaining(e -> {
                ObjectNode devices = keys.putObject(e.getKey());
                User u = model.user(e.getKey());
                model.sync().deviceKeys(e.getKey()).forEach((deviceId, k) -> {
                    boolean asked = !e.getValue().isArray() || e.getValue().isEmpty()
                            || containsText(e.getValue(), deviceId);
                    if (asked) {
                        ObjectNode d = k.deepCopy();
                        ObjectNode unsigned = d.putObject("unsigned");
                        User.Device dev = u == null ? null : u.device(deviceId);
                        if (dev != null && dev.displayName() != null) {
                            unsigned.put("device_display_name", dev.displayName());
                        }
                        devices.set(deviceId, d);
                    }
                });
            });
            out.putObject("failures");
            for (String usage : CrossSigningEndpoints.USAGES) {
                ObjectNode byUser = out.putObject(usage + "_keys");
                wanted.fieldNames().forEachRemaining(userId -> {
                    ObjectNode key = model.crossSigningKeys().get(userId, usage);
                    // A user's user-signing key is shown to that user only.
                    if (key != null && (!usage.equals("user_signing") || userId.equals(r.userId()))) {
                        byUser.set(userId, key.deepCopy());
                    }
                });
            }
            return out;
        });
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }

    private Object claim(Call c) {
        c.who();
        JsonNode wanted = c.object().path("one_time_keys");
        if (!wanted.isMissingNode() && !wanted.isObject()) {
            // Synapse 1.94 answers a 500 here.
            throw MatrixException.badJson("'one_time_keys' must be a JSON object");
        }
        return model.write(() -> {
            ObjectNode out = Json.object();
            ObjectNode claimed = out.putObject("one_time_keys");
            wanted.fields().forEachRemaining(byUser -> byUser.getValue().fields().forEachRemaining(byDevice -> {
                String prefix = byDevice.getValue().asText() + ":";
                Map.Entry<String, JsonNode> key = take(model.sync().oneTimeKeys(byUser.getKey(), byDevice.getKey()),
                        prefix, true);
                if (key == null) {
                    key = take(model.sync().fallbackKeys(byUser.getKey(), byDevice.getKey()), prefix, false);
                }
                if (key != null) {
                    ObjectNode user = claimed.get(byUser.getKey()) instanceof ObjectNode o ? o
                            : claimed.putObject(byUser.getKey());
                    user.putObject(byDevice.getKey()).set(key.getKey(), key.getValue());
                }
            }));
            out.putObject("failures");
            model.signal().bump();
            return out;
        });
    }

    private static Map.Entry<String, JsonNode> take(Map<String, JsonNode> keys, String prefix, boolean remove) {
        Iterator<Map.Entry<String, JsonNode>> it = keys.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                Map.Entry<String, JsonNode> found = Map.entry(e.getKey(), e.getValue());
                if (remove) {
                    it.remove();
                }
                return found;
            }
        }
        return null;
    }

    /** The {@code device_lists} a sync from {@code from} would show now (Synapse ignores {@code to}). */
    private Object changes(Call c) {
        Requester r = c.who();
        String from = c.query("from");
        if (from == null) {
            throw MatrixException.missingParam("Missing string query parameter 'from'");
        }
        // Synapse parses only "from": a "to" of any shape is ignored.
        SyncToken since = SyncToken.parse(from);
        SyncRequest req = new SyncRequest(r.userId(), null, null, since, false, SyncFilter.ALL);
        return stream.sync(req).body().get("device_lists");
    }

    private Object sendToDevice(Call c) {
        Requester r = c.who();
        ObjectNode body = c.object();
        RequiredParams.check(body, "messages");
        JsonNode messages = body.get("messages");
        if (!messages.isObject()) {
            // Synapse 1.94 answers a 500 here.
            throw MatrixException.badJson("'messages' must be a JSON object");
        }
        messages.fields().forEachRemaining(byUser -> {
            boolean objects = byUser.getValue().isObject();
            for (JsonNode content : byUser.getValue()) {
                objects &= content.isObject();
            }
            if (!objects) {
                // Synapse 1.94 answers a 500 here too.
                throw MatrixException.badJson("'messages' maps users to devices to JSON objects");
            }
        });
        String type = c.param("eventType");
        model.write(() -> {
            SyncData data = model.sync();
            if (!data.claimToDeviceTxn(SyncData.scopeOf(r.userId(), r.deviceId(), r.appserviceId()), type,
                    c.param("txnId"))) {
                return;
            }
            messages.fields().forEachRemaining(byUser -> {
                User u = model.user(byUser.getKey());
                if (u == null || u.isRemote() || !byUser.getValue().isObject()) {
                    return;
                }
                byUser.getValue().fields().forEachRemaining(byDevice -> {
                    for (String deviceId : byDevice.getKey().equals("*") ? u.devices().keySet()
                            : java.util.Set.of(byDevice.getKey())) {
                        ObjectNode event = Json.object();
                        event.put("type", type);
                        event.put("sender", r.userId());
                        event.set("content", byDevice.getValue().deepCopy());
                        data.deliverToDevice(u.userId(), deviceId, event);
                    }
                });
            });
            model.signal().bump();
        });
        return Json.object();
    }
}
