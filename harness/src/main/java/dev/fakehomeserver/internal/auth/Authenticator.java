package dev.fakehomeserver.internal.auth;

import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Session;
import dev.fakehomeserver.internal.model.User;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Turns a request's token into a {@link Requester}, following Synapse's {@code get_access_token_from_request}
 * and {@code get_appservice_user} (spec-digest §4.1–4.2): appservice tokens first, then user tokens; identity
 * assertion with {@code user_id} and {@code device_id} for appservices only.
 */
public final class Authenticator {
    private final HomeserverModel model;

    public Authenticator(HomeserverModel model) {
        this.model = model;
    }

    /**
     * Extracts the token: header or query, never both.
     *
     * @return the token, or null when the request carries none
     */
    public static String extractToken(List<String> authorizationHeaders, Map<String, Deque<String>> query) {
        Deque<String> q = query.get("access_token");
        String queryToken = q == null || q.isEmpty() ? null : q.peekFirst();
        if (authorizationHeaders != null && !authorizationHeaders.isEmpty()) {
            if (queryToken != null) {
                throw MatrixException.missingToken("Mixing Authorization headers and access_token query parameters.");
            }
            if (authorizationHeaders.size() > 1) {
                throw MatrixException.missingToken("Too many Authorization headers.");
            }
            String[] parts = authorizationHeaders.get(0).split(" ");
            if (parts.length != 2 || !parts[0].equals("Bearer")) {
                throw MatrixException.missingToken("Invalid Authorization header.");
            }
            return parts[1];
        }
        return queryToken;
    }

    /** What the token stands for before identity assertion: an appservice, a session, or null if unknown. */
    public Object principal(String token) {
        Appservice as = model.appserviceByToken(token);
        if (as != null) {
            return as;
        }
        return model.sessionByToken(token);
    }

    /**
     * Authenticates a request that must carry a token.
     *
     * @throws MatrixException 401 for a missing or unknown token, 403/400 for a refused identity assertion
     */
    public Requester authenticate(String token, Map<String, Deque<String>> query) {
        if (token == null) {
            throw MatrixException.missingToken("Missing access token");
        }
        Object p = principal(token);
        if (p instanceof Appservice as) {
            return asAppservice(as, first(query, "user_id"), deviceParam(query));
        }
        if (p instanceof Session s) {
            // For user tokens, user_id, device_id and ts are silently ignored (spec-digest §4.1).
            return new Requester(s.userId(), s.deviceId(), null);
        }
        throw MatrixException.unknownToken("Invalid access token passed.");
    }

    private Requester asAppservice(Appservice as, String userId, String deviceId) {
        String effective = userId != null && !userId.equals(as.senderUserId()) ? userId : as.senderUserId();
        model.read(() -> {
            if (!effective.equals(as.senderUserId())) {
                if (!as.matcher().isInterestedInUser(effective)) {
                    throw MatrixException.forbidden(
                            "Application service cannot masquerade as this user (" + effective + ").");
                }
                User u = model.user(effective);
                if (u == null || u.isRemote()) {
                    throw MatrixException.forbidden(
                            "Application service has not registered this user (" + effective + ")");
                }
            }
            if (deviceId != null) {
                User u = model.user(effective);
                if (u == null || !u.devices().containsKey(deviceId)) {
                    // Current Synapse still answers with the unstable errcode; the spec says M_UNKNOWN_DEVICE.
                    throw new MatrixException(400, "ORG.MATRIX.MSC4326.M_UNKNOWN_DEVICE",
                            "Application service trying to use a device that doesn't exist (" + deviceId + ")");
                }
            }
            return null;
        });
        return new Requester(effective, deviceId, as);
    }

    private static String deviceParam(Map<String, Deque<String>> query) {
        String stable = first(query, "device_id");
        return stable != null ? stable : first(query, "org.matrix.msc3202.device_id");
    }

    private static String first(Map<String, Deque<String>> query, String name) {
        Deque<String> d = query.get(name);
        return d == null || d.isEmpty() ? null : d.peekFirst();
    }
}
