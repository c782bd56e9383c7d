package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server-side key backups, as Synapse's {@code e2e_room_keys_versions} and {@code e2e_room_keys} keep them: per
 * user, versions numbered from 1 (a deleted version's number is not given again; the highest version not
 * deleted is the current one), each with its room keys by room and session and an etag that counts the changes
 * to them. The keys are opaque to the fake ({@code session_data} is the client's encrypted blob); they are kept
 * so that a client that backs up and restores (Element, nheko) reads back what it wrote. Guarded by the model's
 * lock.
 */
public final class KeyBackups {
    private final Map<String, TreeMap<Long, Version>> versions = new HashMap<>();
    private final Map<String, Long> lastVersion = new HashMap<>();

    /** One backup version: its algorithm and auth data, its keys (room, then session) and their etag. */
    private static final class Version {
        final ObjectNode info = Json.object();
        final TreeMap<String, TreeMap<String, ObjectNode>> rooms = new TreeMap<>();
        long etag;

        int count() {
            return rooms.values().stream().mapToInt(Map::size).sum();
        }
    }

    /** A new version with this algorithm and auth data; returns its number. */
    public String create(String userId, String algorithm, JsonNode authData) {
        long v = lastVersion.merge(userId, 1L, Long::sum);
        Version version = new Version();
        version.info.put("algorithm", algorithm);
        version.info.set("auth_data", authData.deepCopy());
        versions.computeIfAbsent(userId, k -> new TreeMap<>()).put(v, version);
        return Long.toString(v);
    }

    /**
     * A version as {@code GET /room_keys/version} answers it (with {@code count} and {@code etag}), the current
     * one when {@code version} is null; null when there is none, it was deleted or the id is not a number.
     */
    public ObjectNode get(String userId, String version) {
        Long v = version == null ? current(userId) : number(version);
        Version stored = stored(userId, v);
        if (stored == null) {
            return null;
        }
        ObjectNode o = Json.object();
        o.put("version", Long.toString(v));
        o.setAll(stored.info.deepCopy());
        o.put("etag", Long.toString(stored.etag));
        o.put("count", stored.count());
        return o;
    }

    /** The current version's number, or null without one. */
    public Long current(String userId) {
        TreeMap<Long, Version> mine = versions.get(userId);
        return mine == null || mine.isEmpty() ? null : mine.lastKey();
    }

    /** Whether this version exists (not deleted). */
    public boolean exists(String userId, String version) {
        return stored(userId, version) != null;
    }

    /** Replaces a version's auth data; false when the version does not exist. */
    public boolean update(String userId, String version, JsonNode authData) {
        Version stored = stored(userId, version);
        if (stored == null) {
            return false;
        }
        stored.info.set("auth_data", authData.deepCopy());
        return true;
    }

    /** Deletes a version and its keys; false when it does not exist. */
    public boolean delete(String userId, String version) {
        Long v = number(version);
        TreeMap<Long, Version> mine = versions.get(userId);
        return v != null && mine != null && mine.remove(v) != null;
    }

    /**
     * Stores one room key unless the one held is better, by Synapse's rule: a verified key beats an unverified
     * one, then a lower {@code first_message_index}, then a lower {@code forwarded_count}. Returns whether the
     * backup changed. The version must exist.
     */
    public boolean put(String userId, String version, String roomId, String sessionId, ObjectNode key) {
        Version stored = stored(userId, version);
        TreeMap<String, ObjectNode> sessions = stored.rooms.get(roomId);
        ObjectNode held = sessions == null ? null : sessions.get(sessionId);
        if (held != null && !replaces(key, held)) {
            return false;
        }
        ObjectNode kept = Json.object();
        kept.set("first_message_index", key.get("first_message_index"));
        kept.set("forwarded_count", key.get("forwarded_count"));
        kept.set("is_verified", key.get("is_verified"));
        kept.set("session_data", key.get("session_data"));
        stored.rooms.computeIfAbsent(roomId, k -> new TreeMap<>()).put(sessionId, kept);
        return true;
    }

    private static boolean replaces(ObjectNode key, ObjectNode held) {
        if (key.path("is_verified").asBoolean() && !held.path("is_verified").asBoolean()) {
            return true;
        }
        if (key.path("first_message_index").asLong() < held.path("first_message_index").asLong()) {
            return true;
        }
        return key.path("forwarded_count").asLong() < held.path("forwarded_count").asLong();
    }

    /** Counts a change to a version's keys; returns the new etag. */
    public long bumpEtag(String userId, String version) {
        return ++stored(userId, version).etag;
    }

    /** The version's etag and key count as the keys endpoints answer them. */
    public ObjectNode etagAndCount(String userId, String version) {
        Version stored = stored(userId, version);
        return Json.object().put("etag", Long.toString(stored.etag)).put("count", stored.count());
    }

    /**
     * The keys of a version as {@code GET /room_keys/keys} answers them: all rooms, one room or one session
     * ({@code roomId} or {@code sessionId} null for all), in the {@code {"rooms": {room: {"sessions": ..}}}}
     * shape. The version must exist.
     */
    public ObjectNode keys(String userId, String version, String roomId, String sessionId) {
        ObjectNode rooms = Json.object();
        stored(userId, version).rooms.forEach((room, sessions) -> {
            if (roomId != null && !roomId.equals(room)) {
                return;
            }
            ObjectNode out = Json.object();
            sessions.forEach((session, key) -> {
                if (sessionId == null || sessionId.equals(session)) {
                    out.set(session, key.deepCopy());
                }
            });
            if (!out.isEmpty()) {
                rooms.putObject(room).set("sessions", out);
            }
        });
        return Json.object().set("rooms", rooms);
    }

    /** Deletes the keys of a version (all, one room's or one session); the version must exist. */
    public void deleteKeys(String userId, String version, String roomId, String sessionId) {
        TreeMap<String, TreeMap<String, ObjectNode>> rooms = stored(userId, version).rooms;
        if (roomId == null) {
            rooms.clear();
            return;
        }
        TreeMap<String, ObjectNode> sessions = rooms.get(roomId);
        if (sessions == null) {
            return;
        }
        if (sessionId == null) {
            sessions.clear();
        } else {
            sessions.remove(sessionId);
        }
        if (sessions.isEmpty()) {
            rooms.remove(roomId);
        }
    }

    private Version stored(String userId, String version) {
        return stored(userId, number(version));
    }

    private Version stored(String userId, Long v) {
        TreeMap<Long, Version> mine = versions.get(userId);
        return v == null || mine == null ? null : mine.get(v);
    }

    /** Synapse's {@code int(version)} that answers "not found" when it fails. */
    private static Long number(String version) {
        try {
            return version == null ? null : Long.parseLong(version);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Deletes every version of the user's and their keys (deactivation; the rows go, as in Synapse). */
    public void deleteUser(String userId) {
        versions.remove(userId);
        lastVersion.remove(userId);
    }

    void reset() {
        versions.clear();
        lastVersion.clear();
    }
}
