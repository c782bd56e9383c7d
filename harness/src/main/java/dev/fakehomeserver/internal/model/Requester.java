package dev.fakehomeserver.internal.model;


/**
 * Who a request acts as, after token lookup and identity assertion ({@code ?user_id=}, {@code ?device_id=}).
 *
 * @param userId the effective user
 * @param deviceId the device: the session's for user tokens, only an asserted one for appservices
 * @param appservice the appservice whose as_token authenticated the request, or null for a user token
 */
public record Requester(String userId, String deviceId, Appservice appservice) {
    public boolean isAppservice() {
        return appservice != null;
    }

    /** Whether this is the appservice acting as its own sender user. */
    public boolean isAppserviceSender() {
        return appservice != null && appservice.senderUserId().equals(userId);
    }

    public String appserviceId() {
        return appservice == null ? null : appservice.id();
    }
}
