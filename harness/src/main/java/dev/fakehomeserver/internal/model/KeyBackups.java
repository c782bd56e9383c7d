package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server-side key backup versions, as Synapse's {@code e2e_room_keys_versions} keeps them: per user, numbered
 * from 1 (a deleted version's number is not given again); the highest version not deleted is the current one.
 * The backed-up room keys themselves are not kept (the fake holds no encrypted history). Guarded by the
 * model's lock.
 */
public final class KeyBackups {
    private final Map<String, TreeMap<Long, ObjectNode>> versions = new HashMap<>();
    private final Map<String, Long> lastVersion = new HashMap<>();

    /** A new version with this algorithm and auth data; returns its number. */
    public String create(String userId, String algorithm, JsonNode authData) {
        long v = lastVersion.merge(userId, 1L, Long::sum);
        ObjectNode o = Json.object();
        o.put("algorithm", algorithm);
        o.set("auth_data", authData.deepCopy());
        versions.computeIfAbsent(userId, k -> new TreeMap<>()).put(v, o);
        return Long.toString(v);
    }

    /**
     * A version as {@code GET /room_keys/version} answers it (with {@code count} and {@code etag}), the current
     * one when {@code version} is null; null when there is none, it was deleted or the id is not a number.
     */
    public ObjectNode get(String userId, String version) {
        TreeMap<Long, ObjectNode> mine = versions.get(userId);
        if (mine == null || mine.isEmpty()) {
            return null;
        }
        Long v = version == null ? mine.lastKey() : number(version);
        ObjectNode stored = v == null ? null : mine.get(v);
        if (stored == null) {
            return null;
        }
        ObjectNode o = Json.object();
        o.put("version", Long.toString(v));
        o.setAll(stored.deepCopy());
        o.put("etag", "0");
        o.put("count", 0);
        return o;
    }

    /** Replaces a version's auth data; false when the version does not exist. */
    public boolean update(String userId, String version, JsonNode authData) {
        ObjectNode stored = stored(userId, version);
        if (stored == null) {
            return false;
        }
        stored.set("auth_data", authData.deepCopy());
        return true;
    }

    /** Deletes a version; false when it does not exist. */
    public boolean delete(String userId, String version) {
        Long v = number(version);
        TreeMap<Long, ObjectNode> mine = versions.get(userId);
        return v != null && mine != null && mine.remove(v) != null;
    }

    private ObjectNode stored(String userId, String version) {
        Long v = number(version);
        TreeMap<Long, ObjectNode> mine = versions.get(userId);
        return v == null || mine == null ? null : mine.get(v);
    }

    /** Synapse's {@code int(version)} that answers "not found" when it fails. */
    private static Long number(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void reset() {
        versions.clear();
        lastVersion.clear();
    }
}
