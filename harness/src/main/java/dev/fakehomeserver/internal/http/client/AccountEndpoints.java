package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.auth.Authenticator;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.Session;
import dev.fakehomeserver.internal.model.User;
import java.util.Arrays;
import java.util.List;

/** Versions, login, logout and whoami (spec-digest §4.3–4.5); registration is {@link RegisterEndpoints}'. */
public final class AccountEndpoints {
    private static final String AS_TYPE = "m.login.application_service";
    private static final long REFRESHABLE_TOKEN_LIFETIME_MS = 5 * 60 * 1000;
    private final Services s;
    private final HomeserverModel model;

    public AccountEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.add("GET", "/_matrix/client/versions", AuthMode.NONE, c -> versions());
        r.add("GET", "/.well-known/matrix/client", AuthMode.NONE, this::wellKnown);
        r.clientV1("GET", "/login", AuthMode.NONE, c -> loginFlows());
        r.clientV1("POST", "/login", AuthMode.NONE, this::login);
        r.clientWithUnstable("POST", "/refresh", AuthMode.NONE, this::refresh);
        r.clientV1("POST", "/logout", AuthMode.REQUIRED, this::logout);
        r.clientV1("POST", "/logout/all", AuthMode.REQUIRED, this::logoutAll);
        r.clientWithUnstable("GET", "/account/whoami", AuthMode.REQUIRED, AccountEndpoints::whoami);
    }

    private static ObjectNode versions() {
        ObjectNode o = Json.object();
        ArrayNode v = o.putArray("versions");
        Arrays.asList("r0.0.1", "r0.1.0", "r0.2.0", "r0.3.0", "r0.4.0", "r0.5.0", "r0.6.0", "r0.6.1", "v1.1", "v1.2",
                "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11", "v1.12").forEach(v::add);
        ObjectNode u = o.putObject("unstable_features");
        // Advertises the appservice ping endpoint, as Synapse does.
        u.put("fi.mau.msc2659.stable", true);
        u.put("org.matrix.msc3202", false);
        return o;
    }

    private static ObjectNode loginFlows() {
        ObjectNode o = Json.object();
        ArrayNode flows = o.putArray("flows");
        flows.addObject().put("type", "m.login.password");
        flows.addObject().put("type", AS_TYPE);
        return o;
    }

    private ObjectNode loginResponse(User u, ObjectNode body, boolean inhibit) {
        ObjectNode o = Json.object();
        o.put("user_id", u.userId());
        o.put("home_server", model.serverName());
        if (!inhibit && !body.path("inhibit_login").asBoolean(false)) {
            Session session = s.accounts().login(u, body.path("device_id").asText(null),
                    body.path("initial_device_display_name").asText(null));
            o.put("access_token", session.accessToken());
            o.put("device_id", session.deviceId());
        }
        return o;
    }

    /**
     * Synapse 1.94's {@code LoginRestServlet.on_POST}, in its order: a JSON object; {@code refresh_token} a
     * boolean; a {@code type} (its absence is the KeyError "Missing JSON keys."); then the login of that type.
     */
    private Object login(Call c) {
        ObjectNode body = c.object();
        JsonNode refresh = body.get("refresh_token");
        if (refresh != null && !refresh.isBoolean()) {
            throw MatrixException.unknown(400, "`refresh_token` should be true or false.");
        }
        if (!body.has("type")) {
            throw MatrixException.unknown(400, "Missing JSON keys.");
        }
        JsonNode type = body.get("type");
        if (type.isTextual() && type.asText().equals(AS_TYPE)) {
            return appserviceLogin(c, body);
        }
        if (type.isTextual() && type.asText().equals("m.login.token")) {
            if (!body.has("token")) {
                throw MatrixException.unknown(400, "Missing JSON keys.");
            }
            // The fake issues no login tokens (Synapse 1.94's /login/get_token is off by default).
            throw MatrixException.forbidden("Invalid login token");
        }
        return passwordLogin(c, body);
    }

    /** {@code validate_login} (see {@link LoginSubmission}), the local password check, then the login itself. */
    private Object passwordLogin(Call c, ObjectNode body) {
        User u = LoginSubmission.authenticate(body, LoginSubmission.type(body), s);
        return completeLogin(c, u, body, true);
    }

    /** {@code _do_appservice_login}: the as_token first, then an {@code m.id.user} identifier (no legacy fields). */
    private Object appserviceLogin(Call c, ObjectNode body) {
        String token = Authenticator.extractToken(authHeaders(c), c.queryMap());
        if (token == null) {
            throw MatrixException.missingToken("Missing access token");
        }
        Appservice as = model.appserviceByToken(token);
        if (as == null) {
            if (model.sessionByToken(token) != null) {
                throw MatrixException.unknownToken("This login method is only valid for application services");
            }
            throw MatrixException.unknownToken("Invalid access token passed.");
        }
        c.resolvedAppservice(as);
        if (as.registration().msc4190()) {
            throw new MatrixException(400, "IO.ELEMENT.MSC4190.M_APPSERVICE_LOGIN_UNSUPPORTED",
                    "This appservice has MSC4190 enabled, so appservice login cannot be used.");
        }
        JsonNode id = body.get("identifier");
        if (id == null || !id.isObject()) {
            throw MatrixException.invalidParam("Invalid identifier in login submission");
        }
        if (!"m.id.user".equals(id.path("type").textValue())) {
            throw MatrixException.invalidParam("Unknown login identifier type");
        }
        if (!id.path("user").isTextual()) {
            throw MatrixException.invalidParam("Invalid user in identifier");
        }
        String userId = s.accounts().qualify(id.get("user").asText());
        if (!as.matcher().isInterestedInUser(userId)) {
            // Synapse answers 403 here; the spec says M_EXCLUSIVE.
            throw MatrixException.forbidden("Invalid access_token");
        }
        User known = model.read(() -> model.user(userId));
        boolean sender = userId.equals(as.senderUserId());
        // The sender can log in without a users row (spec-digest §4.5), and is never checked for deactivation.
        User u = known == null && sender ? new User(userId, as.id(), false) : known;
        if (u == null) {
            // Synapse's StoreError 404 from simple_select_one, which carries no Matrix errcode.
            throw MatrixException.unknown(404, "No row found (users)");
        }
        return completeLogin(c, u, body, !sender);
    }

    /**
     * Synapse's {@code _complete_login}: a deactivated user is refused, a device id longer than 512 characters
     * too; then the device and tokens, and the well-known answer.
     */
    private Object completeLogin(Call c, User u, ObjectNode body, boolean checkDeactivated) {
        if (checkDeactivated && model.read(u::deactivated)) {
            throw new MatrixException(403, "M_USER_DEACTIVATED", "This account has been deactivated");
        }
        JsonNode deviceId = body.get("device_id");
        JsonNode name = body.get("initial_device_display_name");
        // Synapse 1.94 answers 500 on a device id or display name that is not a string; a correct server refuses it.
        if (deviceId != null && !deviceId.isNull() && !deviceId.isTextual()) {
            throw MatrixException.invalidParam("device_id must be a string");
        }
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw MatrixException.invalidParam("initial_device_display_name must be a string");
        }
        if (deviceId != null && deviceId.asText().length() > 512) {
            throw MatrixException.invalidParam("device_id cannot be longer than 512 characters.");
        }
        ObjectNode o = loginResponse(u, body, false);
        if (body.path("refresh_token").asBoolean(false)) {
            // Synapse's refreshable_access_token_lifetime (5 minutes by default); the fake does not expire tokens.
            o.put("expires_in_ms", REFRESHABLE_TOKEN_LIFETIME_MS);
            o.put("refresh_token", model.newRefreshToken(model.sessionByToken(o.get("access_token").asText())));
        }
        return withWellKnown(c, o);
    }

    /** {@code RefreshTokenServlet}: a string {@code refresh_token} that is still valid, exchanged for new tokens. */
    private Object refresh(Call c) {
        ObjectNode body = c.object();
        RequiredParams.check(body, "refresh_token");
        if (!body.get("refresh_token").isTextual()) {
            throw MatrixException.invalidParam("Invalid param: refresh_token");
        }
        String[] tokens = model.refresh(body.get("refresh_token").asText());
        ObjectNode o = Json.object();
        o.put("access_token", tokens[0]);
        o.put("refresh_token", tokens[1]);
        o.put("expires_in_ms", REFRESHABLE_TOKEN_LIFETIME_MS);
        return o;
    }

    private ObjectNode withWellKnown(Call c, ObjectNode o) {
        o.set("well_known", wellKnown(c));
        return o;
    }

    /**
     * Synapse's {@code WellKnownBuilder} with {@code public_baseurl} set (as the recorded Synapse has it): the
     * configured public url, or else the url this request came to, so a client that follows it (nheko) comes
     * back the way it came.
     */
    private ObjectNode wellKnown(Call c) {
        String base = s.options().publicBaseUrl();
        if (base == null) {
            base = c.scheme() + "://" + c.header("host") + "/";
        }
        ObjectNode o = Json.object();
        o.putObject("m.homeserver").put("base_url", base);
        return o;
    }

    private Object logout(Call c) {
        Requester r = c.who();
        if (r.isAppservice() && r.deviceId() == null) {
            // Synapse looks for the as_token among access tokens to delete it, and it is not one.
            throw MatrixException.unknown(401, "Unrecognised access token");
        }
        model.endSessionsOf(r.userId(), r.deviceId());
        return Json.object();
    }

    private Object logoutAll(Call c) {
        Requester r = c.who();
        model.endSessionsOf(r.userId(), null);
        return Json.object();
    }

    private static Object whoami(Call c) {
        Requester r = c.who();
        ObjectNode o = Json.object();
        o.put("user_id", r.userId());
        o.put("is_guest", false);
        if (r.deviceId() != null) {
            o.put("device_id", r.deviceId());
        }
        return o;
    }

    private static List<String> authHeaders(Call c) {
        return c.headers("authorization");
    }
}
