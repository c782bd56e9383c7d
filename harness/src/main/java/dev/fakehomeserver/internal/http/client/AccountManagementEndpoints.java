package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.auth.Authenticator;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.model.Services;

/**
 * Changing the password and deactivating the account ({@code /account/password}, {@code /account/deactivate}),
 * as Synapse 1.94's {@code PasswordRestServlet} and {@code DeactivateAccountRestServlet} (recorded in
 * conversations/account): the body is validated before the token, then user-interactive auth with the password.
 * The third-party ids are {@link ThreepidEndpoints}'.
 */
public final class AccountManagementEndpoints {
    private static final String EMAIL_STAGE = "m.login.email.identity";
    private final Services s;
    private final UserInteractiveAuth uia;

    public AccountManagementEndpoints(Services services) {
        this.s = services;
        this.uia = new UserInteractiveAuth(services);
    }

    public void register(RouteTable.Builder r) {
        r.clientWithUnstable("POST", "/account/password", AuthMode.LATE, this::changePassword);
        r.clientWithUnstable("POST", "/account/deactivate", AuthMode.LATE, this::deactivate);
    }

    /**
     * {@code PostBody(auth, logout_devices: StrictBool = True, new_password: constr(max_length=512))}, then with
     * a token the password stage, without one the email stage (which the fake, sending no mail, never passes).
     */
    private Object changePassword(Call c) {
        ObjectNode body = c.object();
        ObjectNode auth = UserInteractiveAuth.authField(body);
        BodyModel m = new BodyModel(body);
        boolean logoutDevices = m.strictBool("logout_devices", true);
        String newPassword = m.optStrictStr("new_password", 512);
        m.validate();
        String token = Authenticator.extractToken(c.headers("authorization"), c.queryMap());
        if (token == null) {
            return emailChallenge(c, auth);
        }
        Requester r = c.who();
        Object challenge = uia.check(c, r, auth);
        if (challenge != null) {
            return challenge;
        }
        if (newPassword == null || newPassword.isEmpty()) {
            // Synapse 1.94 answers 500 here once the session is complete (it reads a hash it only set on an
            // earlier, incomplete request); the spec requires new_password, so a correct server refuses.
            throw MatrixException.missingParam("Missing params: password");
        }
        if (s.model().read(() -> s.model().user(r.userId())) == null) {
            // The appservice's sender, which has no users row.
            throw MatrixException.unknown(404, "No row found (users)");
        }
        s.accounts().changePassword(r.userId(), newPassword, logoutDevices, r.isAppservice() ? null : r.deviceId(),
                r.isAppservice() ? null : token);
        return Json.object();
    }

    /** {@code check_ui_auth([[m.login.email.identity]])}: a session, and the email flow it would need. */
    private Object emailChallenge(Call c, ObjectNode auth) {
        String sid = auth == null ? null : auth.path("session").asText(null);
        return Response.json(401, UiaChallenge.of(s.model().uiaSessions().openOrResume(sid, c.method(), c.path()),
                EMAIL_STAGE, null));
    }

    /**
     * {@code PostBody(auth, id_server: Optional[StrictStr], erase: StrictBool = False)}, then the token; an
     * appservice deactivates its users without user-interactive auth and gets {@code {}}, a user after it gets
     * {@code id_server_unbind_result} ("no-support": the fake binds nothing at identity servers).
     */
    private Object deactivate(Call c) {
        ObjectNode body = c.object();
        ObjectNode auth = UserInteractiveAuth.authField(body);
        BodyModel m = new BodyModel(body);
        m.optStrictStr("id_server", 0);
        boolean erase = m.strictBool("erase", false);
        m.validate();
        Requester r = c.who();
        if (r.isAppservice()) {
            deactivate(r.userId(), erase);
            return Json.object();
        }
        Object challenge = uia.check(c, r, auth);
        if (challenge != null) {
            return challenge;
        }
        deactivate(r.userId(), erase);
        return Json.object().put("id_server_unbind_result", "no-support");
    }

    private void deactivate(String userId, boolean erase) {
        if (s.model().read(() -> s.model().user(userId)) == null) {
            return; // the appservice's sender, which has no users row: nothing to deactivate
        }
        s.accounts().deactivate(userId, erase);
        s.rooms().leaveAll(userId);
    }
}
