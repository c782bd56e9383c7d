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
import java.util.Locale;

/** Versions, login, logout and whoami (spec-digest §4.3–4.5); registration is {@link RegisterEndpoints}'. */
public final class AccountEndpoints {
    private static final String AS_TYPE = "m.login.application_service";
    private final Services s;
    private final HomeserverModel model;

    public AccountEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.add("GET", "/_matrix/client/versions", AuthMode.NONE, c -> versions());
        r.add("GET", "/.well-known/matrix/client", AuthMode.NONE, this::wellKnown);
        r.client("GET", "/login", AuthMode.NONE, c -> loginFlows());
        r.client("POST", "/login", AuthMode.NONE, this::login);
        r.client("POST", "/logout", AuthMode.REQUIRED, this::logout);
        r.client("POST", "/logout/all", AuthMode.REQUIRED, this::logoutAll);
        r.client("GET", "/account/whoami", AuthMode.REQUIRED, AccountEndpoints::whoami);
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

    private Object login(Call c) {
        ObjectNode body = c.object();
        String type = body.path("type").asText("");
        if (type.equals("m.login.password")) {
            return passwordLogin(c, body);
        }
        if (type.equals(AS_TYPE)) {
            return appserviceLogin(c, body);
        }
        throw MatrixException.unknown(400, "Unknown login type " + type);
    }

    static String identifierUser(ObjectNode body) {
        JsonNode id = body.get("identifier");
        if (id == null && body.path("user").isTextual()) {
            return body.get("user").asText();
        }
        if (id == null || !id.isObject() || !"m.id.user".equals(id.path("type").asText())
                || !id.path("user").isTextual()) {
            throw MatrixException.invalidParam("Invalid identifier");
        }
        return id.get("user").asText();
    }

    private Object passwordLogin(Call c, ObjectNode body) {
        String userId = s.accounts().qualify(identifierUser(body).toLowerCase(Locale.ROOT));
        User u = model.read(() -> model.user(userId));
        if (u == null || !s.accounts().checkPassword(u, body.path("password").asText(null))) {
            throw MatrixException.forbidden("Invalid username or password");
        }
        return withWellKnown(c, loginResponse(u, body, false));
    }

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
        String userId = s.accounts().qualify(identifierUser(body));
        if (!as.matcher().isInterestedInUser(userId)) {
            // Synapse answers 403 here; the spec says M_EXCLUSIVE.
            throw MatrixException.forbidden("Invalid access_token");
        }
        User known = model.read(() -> model.user(userId));
        // The sender can log in without a users row (spec-digest §4.5).
        User u = known == null && userId.equals(as.senderUserId()) ? new User(userId, as.id(), false) : known;
        if (u == null) {
            // Synapse's StoreError 404 from simple_select_one, which carries no Matrix errcode.
            throw MatrixException.unknown(404, "No row found (users)");
        }
        return withWellKnown(c, loginResponse(u, body, false));
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
