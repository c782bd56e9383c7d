package dev.fakehomeserver.internal.model;

/** A user's login: what an ordinary access token stands for. */
public record Session(String userId, String deviceId, String accessToken) {
    @Override
    public String toString() {
        return "Session[" + userId + ", " + deviceId + "]";
    }
}
