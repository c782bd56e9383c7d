package dev.fakehomeserver.internal.http;

import dev.fakehomeserver.internal.auth.Authenticator;
import dev.fakehomeserver.internal.base.MatrixException;

/**
 * The client API's auth step: the route's {@link AuthMode} says whether a token is needed; the
 * {@link Authenticator} turns it into the requester (appservice or user, after {@code user_id} assertion), which
 * the endpoint, the fault rules and the journal all see.
 */
public final class AccessTokenAuth implements Step {
    private final Authenticator auth;

    public AccessTokenAuth(Authenticator auth) {
        this.auth = auth;
    }

    @Override
    public void handle(InboundRequest req, Next next) {
        Call call = req.call();
        AuthMode mode = req.route().auth();
        if (mode == AuthMode.LATE) {
            try {
                String token = Authenticator.extractToken(call.headers("authorization"), call.queryMap());
                call.requester(auth.authenticate(token, call.queryMap()));
            } catch (MatrixException refused) {
                call.refusedAuth(refused);
            }
        } else if (mode != AuthMode.NONE) {
            String token = Authenticator.extractToken(call.headers("authorization"), call.queryMap());
            if (token != null || mode == AuthMode.REQUIRED) {
                call.requester(auth.authenticate(token, call.queryMap()));
            }
        }
        next.proceed(req);
    }
}
