package dev.fakehomeserver.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A registered local user (or a remote user the fake knows of). Guarded by the model's lock: a user is reached
 * only through {@link HomeserverModel#user(String)} and {@link HomeserverModel#users()}, which refuse to run
 * outside {@code model.read/write}. Maps are handed out as unmodifiable views.
 */
public final class User {
    private final String userId;
    private final String appserviceId;
    private final boolean remote;
    private String passwordHash;
    private String displayname;
    private String avatarUrl;
    /** False for the appservice's sender until it sets a profile field (Synapse has no profile row for it). */
    private boolean profile = true;
    private boolean deactivated;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final Map<String, ObjectNode> accountData = new LinkedHashMap<>();
    /** room id -> type -> content. */
    private final Map<String, Map<String, ObjectNode>> roomAccountData = new LinkedHashMap<>();
    private final Map<String, Device> devicesView = Collections.unmodifiableMap(devices);
    private final Map<String, ObjectNode> accountDataView = Collections.unmodifiableMap(accountData);

    public User(String userId, String appserviceId, boolean remote) {
        this.userId = userId;
        this.appserviceId = appserviceId;
        this.remote = remote;
    }

    public String userId() { return userId; }
    /** The appservice whose exclusive namespace the user was registered in, or null. */
    public String appserviceId() { return appserviceId; }
    /** Whether the user lives on another server (known to the fake, never registered here). */
    public boolean isRemote() { return remote; }
    public String displayname() { return displayname; }
    public String avatarUrl() { return avatarUrl; }
    public void displayname(String displayname) { this.displayname = displayname; }
    public void avatarUrl(String avatarUrl) { this.avatarUrl = avatarUrl; }
    /** Whether a profile lookup finds this user (every registered user; the sender once it set a field). */
    public boolean hasProfile() { return profile; }
    public void hasProfile(boolean profile) { this.profile = profile; }

    /** Whether the account was deactivated (Synapse keeps the user id taken and refuses every login). */
    public boolean deactivated() { return deactivated; }
    void deactivated(boolean deactivated) { this.deactivated = deactivated; }

    String passwordHash() { return passwordHash; }
    void passwordHash(String hash) { this.passwordHash = hash; }

    /** The devices by id, in creation order: an unmodifiable view. */
    public Map<String, Device> devices() { return devicesView; }

    /** A device by id, or null. */
    public Device device(String deviceId) { return devices.get(deviceId); }

    /** Adds a device (replacing one with the same id). */
    public void addDevice(Device d) { devices.put(d.deviceId(), d); }

    /** Removes a device; unknown ids are ignored. */
    public void removeDevice(String deviceId) { devices.remove(deviceId); }

    /** The global account data by type: an unmodifiable view. */
    public Map<String, ObjectNode> accountData() { return accountDataView; }

    /** Drops all account data, global and per room (deactivation). */
    void clearAccountData() {
        accountData.clear();
        roomAccountData.clear();
    }

    /** Sets one type of global account data. */
    public void putAccountData(String type, ObjectNode content) { accountData.put(type, content); }

    /** One type of a room's account data, or null. */
    public ObjectNode roomAccountData(String roomId, String type) {
        Map<String, ObjectNode> data = roomAccountData.get(roomId);
        return data == null ? null : data.get(type);
    }

    /** The account data of one room by type (empty when there is none): an unmodifiable view. */
    public Map<String, ObjectNode> roomAccountData(String roomId) {
        Map<String, ObjectNode> data = roomAccountData.get(roomId);
        return data == null ? Map.of() : Collections.unmodifiableMap(data);
    }

    /** Sets one type of a room's account data. */
    public void putRoomAccountData(String roomId, String type, ObjectNode content) {
        roomAccountData.computeIfAbsent(roomId, k -> new LinkedHashMap<>()).put(type, content);
    }

    /** A device of a user. */
    public static final class Device {
        private final String deviceId;
        private String displayName;
        private final long createdTs;

        public Device(String deviceId, String displayName, long createdTs) {
            this.deviceId = deviceId;
            this.displayName = displayName;
            this.createdTs = createdTs;
        }

        public String deviceId() { return deviceId; }
        public String displayName() { return displayName; }
        public long createdTs() { return createdTs; }
        public void displayName(String name) { this.displayName = name; }
    }
}
