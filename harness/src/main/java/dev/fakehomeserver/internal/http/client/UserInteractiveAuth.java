package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.UiaSessions;
import dev.fakehomeserver.internal.model.User;
import java.util.Set;

/**
 * Synapse 1.94's {@code validate_user_via_ui_auth} for a user re-authenticating with its password (deleting
 * devices, changing the password, deactivating, adding a third-party id), step for step: a request without {@code auth.session} opens a session for its method and path; an
 * unknown session is 400 {@code M_UNKNOWN}, one opened for another request 403 {@code M_UNKNOWN}; no
 * {@code auth} answers the 401 challenge; a {@code type} is checked as {@code POST /login} checks it (a wrong
 * password adds {@code M_FORBIDDEN} to the challenge, a malformed submission or an unknown type is its 400); a
 * completed session passes again; a password of another user is 403 "Invalid auth".
 *
 * <p>Deliberate differences: appservices skip it (current Synapse, MSC4190; 1.94 answers 500), and
 * {@code m.login.dummy} completes it (Synapse records the stage but still wants the password) so tests need
 * not carry passwords; only the password flow is advertised, as Synapse does.
 */
final class UserInteractiveAuth {
    private static final String PW_STAGE = "m.login.password";
    private static final String DUMMY = "m.login.dummy";
    private final Services s;

    UserInteractiveAuth(Services s) {
        this.s = s;
    }

    /**
     * @param auth the body's {@code auth}, already checked to be an object with string {@code session} and
     *     {@code type} when present (Synapse's pydantic model), or null
     * @return null when authenticated, else the 401 challenge to answer
     */
    Object check(Call c, Requester r, ObjectNode auth) {
        if (r.isAppservice()) {
            return null;
        }
        UiaSessions sessions = s.model().uiaSessions();
        String sid = auth == null ? null : auth.path("session").asText(null);
        UiaSessions.Session session = sessions.openOrResume(sid, c.method(), c.path());
        if (auth == null || auth.isEmpty()) {
            return Response.json(401, UiaChallenge.of(session, PW_STAGE, null));
        }
        MatrixException failed = null;
        if (auth.has("type")) {
            String type = auth.get("type").asText();
            if (type.equals(DUMMY)) {
                sessions.complete(session, DUMMY, r.userId());
            } else {
                failed = validateLogin(session, auth, type);
            }
        }
        Set<String> done = sessions.completed(session);
        String validated = done.contains(PW_STAGE) ? session.completed().get(PW_STAGE)
                : done.contains(DUMMY) ? r.userId() : null;
        if (validated == null) {
            ObjectNode ch = UiaChallenge.of(session, PW_STAGE, done);
            if (failed == null) {
                return Response.json(401, ch);
            }
            throw UiaChallenge.withError(failed, ch);
        }
        if (!validated.equals(r.userId())) {
            throw MatrixException.forbidden("Invalid auth");
        }
        return null;
    }

    /**
     * A stage without a checker of its own: {@code validate_login(is_reauth=True)}, the same checks as
     * {@code POST /login}, so only the password stage can pass and other types end in "Unknown login type". Its
     * refusals of the request's shape stand; a 403 (a wrong password, an unknown user or third-party id) is a
     * failed stage, returned to be merged into the challenge.
     */
    private MatrixException validateLogin(UiaSessions.Session session, ObjectNode auth, String type) {
        User u;
        try {
            u = LoginSubmission.authenticate(auth, type, s);
        } catch (MatrixException e) {
            if (e.status() != 403) {
                throw e;
            }
            return e;
        }
        s.model().uiaSessions().complete(session, PW_STAGE, u.userId());
        return null;
    }

    /** Synapse's pydantic {@code AuthenticationData}: an object whose {@code session} and {@code type} are strings. */
    static ObjectNode authField(ObjectNode body) {
        JsonNode auth = body.get("auth");
        if (auth == null || auth.isNull()) {
            return null;
        }
        if (!auth.isObject()) {
            throw MatrixException.badJson("auth: value is not a valid dict");
        }
        for (String f : new String[] {"session", "type"}) {
            JsonNode v = auth.get(f);
            if (v != null && !v.isNull() && !v.isTextual()) {
                throw MatrixException.badJson("auth -> " + f + ": str type expected");
            }
        }
        return (ObjectNode) auth;
    }
}
