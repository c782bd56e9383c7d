package dev.fakehomeserver.view;

import java.util.List;

/**
 * A user the fake knows, frozen at the moment it was read.
 *
 * <pre>{@code
 * UserView bob = hs.findUser("@weather_bob:test").orElseThrow();
 * assertThat(bob.displayName()).isEqualTo("Weather Bob");
 * assertThat(bob.appserviceId()).isEqualTo("weather");
 * }</pre>
 *
 * @param userId the user id
 * @param displayName the display name, or null
 * @param avatarUrl the avatar {@code mxc://} url, or null
 * @param appserviceId the appservice whose exclusive namespace owns the user, or null
 * @param remote whether the user lives on another server (injected by a test, without federation)
 * @param devices the user's devices, in creation order
 * @param joinedRooms the ids of the rooms the user is joined to
 */
public record UserView(String userId, String displayName, String avatarUrl, String appserviceId, boolean remote,
                       List<Device> devices, List<String> joinedRooms) {

    /**
     * One device of a user.
     *
     * <pre>{@code
     * assertThat(hs.findUser("@alice:test").orElseThrow().devices()).extracting(UserView.Device::deviceId)
     *         .containsExactly("PHONE");
     * }</pre>
     *
     * @param deviceId the device id
     * @param displayName the device's display name, or null
     */
    public record Device(String deviceId, String displayName) {}

    @Override
    public String toString() {
        return userId + (displayName == null ? "" : " \"" + displayName + "\"")
                + (appserviceId == null ? "" : " (appservice " + appserviceId + ")") + (remote ? " (remote)" : "");
    }
}
