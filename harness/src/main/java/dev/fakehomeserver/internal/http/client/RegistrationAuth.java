package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.UiaSessions;
import java.util.Set;

/**
 * Synapse 1.94's {@code check_ui_auth} for registration, whose one flow is {@code m.login.dummy}: a request
 * without {@code auth.session} opens a session (keeping the body as its parameters), an unknown session is 400,
 * one opened for another method or path 403; a later request with no parameters of its own takes the
 * session's. No {@code auth} answers the 401 challenge; a {@code type} is checked as {@code _check_auth_dict}
 * does: {@code m.login.dummy} and {@code m.login.terms} (always enabled) complete their stage, any other goes
 * through {@code validate_login} (a password of an existing user completes {@code m.login.password}, which no
 * flow needs; a wrong one adds {@code M_FORBIDDEN} to the challenge). Only a completed dummy stage passes.
 */
final class RegistrationAuth {
    private static final String DUMMY = "m.login.dummy";
    private static final String TERMS = "m.login.terms";
    private static final String PW_STAGE = LoginSubmission.PW_TYPE;
    private static final String CLIENT_DICT = "clientdict";
    private final Services s;

    /**
     * @param session the session of the request
     * @param params the registration's parameters (this request's, or else the session's), without {@code auth}
     * @param refusal null when authenticated, else the 401 {@link Response} or {@link MatrixException} to answer
     */
    record Outcome(UiaSessions.Session session, ObjectNode params, Object refusal) {}

    RegistrationAuth(Services s) {
        this.s = s;
    }

    /** The session the body names, if it exists (Synapse's {@code get_session_id}, then a lookup). */
    UiaSessions.Session knownSession(ObjectNode body) {
        String sid = sessionId(body.get("auth"));
        return sid == null ? null : s.model().uiaSessions().get(sid);
    }

    Outcome check(Call c, ObjectNode body) {
        ObjectNode params = body.deepCopy();
        JsonNode auth = params.remove("auth");
        UiaSessions sessions = s.model().uiaSessions();
        String sid = sessionId(auth);
        UiaSessions.Session session = sessions.openOrResume(sid, c.method(), c.path());
        if (params.isEmpty() && sessions.data(session, CLIENT_DICT) instanceof ObjectNode kept) {
            // A request of a known session with no parameters of its own takes the session's.
            params = kept.deepCopy();
        }
        sessions.putData(session, CLIENT_DICT, params.deepCopy());
        // Python truthiness: an absent, null, empty object or empty string auth is "no auth".
        if (auth == null || auth.isNull() || auth.isObject() && auth.isEmpty() || "".equals(auth.textValue())) {
            return new Outcome(session, params, Response.json(401, UiaChallenge.of(session, DUMMY, null)));
        }
        MatrixException failed = null;
        if (auth.isObject() && auth.has("type")) {
            JsonNode type = auth.get("type");
            if (type.isTextual() && (type.asText().equals(DUMMY) || type.asText().equals(TERMS))) {
                sessions.complete(session, type.asText(), null);
            } else {
                try {
                    ObjectNode submission = (ObjectNode) auth;
                    String userId = LoginSubmission.authenticate(submission, LoginSubmission.type(submission), s)
                            .userId();
                    sessions.complete(session, PW_STAGE, userId);
                } catch (MatrixException loginError) {
                    if (loginError.status() != 403) {
                        throw loginError;
                    }
                    failed = loginError;
                }
            }
        }
        Set<String> done = sessions.completed(session);
        if (done.contains(DUMMY)) {
            return new Outcome(session, params, null);
        }
        ObjectNode ch = UiaChallenge.of(session, DUMMY, done);
        if (failed == null) {
            return new Outcome(session, params, Response.json(401, ch));
        }
        return new Outcome(session, params, UiaChallenge.withError(failed, ch));
    }

    private static String sessionId(JsonNode auth) {
        JsonNode sid = auth == null || !auth.isObject() ? null : auth.get("session");
        return sid == null || sid.isNull() ? null : sid.isTextual() ? sid.asText() : sid.toString();
    }
}
