package dev.fakehomeserver.internal.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** A registered local user (or a remote user the fake knows of). Guarded by the model's lock. */
public final class User {
    public final String userId;
    public final String appserviceId;
    public final boolean remote;
    public String passwordHash;
    public String displayname;
    public String avatarUrl;
    public final Map<String, Device> devices = new LinkedHashMap<>();
    public final Map<String, com.fasterxml.jackson.databind.node.ObjectNode> accountData = new LinkedHashMap<>();
    /** room id -> type -> content. */
    public final Map<String, Map<String, com.fasterxml.jackson.databind.node.ObjectNode>> roomAccountData =
            new LinkedHashMap<>();

    public User(String userId, String appserviceId, boolean remote) {
        this.userId = userId;
        this.appserviceId = appserviceId;
        this.remote = remote;
    }

    /** The account data of one room (created empty on first use). */
    public Map<String, com.fasterxml.jackson.databind.node.ObjectNode> roomAccountData(String roomId) {
        return roomAccountData.computeIfAbsent(roomId, k -> new LinkedHashMap<>());
    }

    /** A device of a user. */
    public static final class Device {
        public final String deviceId;
        public String displayName;
        public final long createdTs;

        public Device(String deviceId, String displayName, long createdTs) {
            this.deviceId = deviceId;
            this.displayName = displayName;
            this.createdTs = createdTs;
        }
    }
}
