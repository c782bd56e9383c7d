package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.auth.Authenticator;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.Session;
import dev.fakehomeserver.internal.model.UiaSessions;
import dev.fakehomeserver.internal.model.User;
import java.util.Locale;

/**
 * Registration as Synapse 1.94's {@code RegisterRestServlet} does it, in its order: a JSON object; {@code kind}
 * (guests are off); {@code refresh_token} a boolean; {@code username} a string of at most 512 characters; the
 * appservice branch ({@code type: m.login.application_service} with an as_token), else no token at all; the
 * password a string of at most 512; {@code check_username} (with the user the session already registered);
 * then {@link RegistrationAuth} (the {@code m.login.dummy} flow); then a password is required and the user is
 * made, once per session: the session's retry logs the same user in again. Also {@code /register/available}
 * and the two {@code requestToken} endpoints, which Synapse without email or SMS refuses.
 */
public final class RegisterEndpoints {
    private static final String AS_TYPE = "m.login.application_service";
    private static final String REGISTERED_USER = "registered_user_id";
    private static final String PASSWORD_HASH = "password_hash";
    private final Services s;
    private final HomeserverModel model;
    private final RegistrationAuth uia;

    public RegisterEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
        this.uia = new RegistrationAuth(services);
    }

    public void register(RouteTable.Builder r) {
        r.clientWithUnstable("POST", "/register", AuthMode.NONE, this::registerUser);
        r.clientWithUnstable("GET", "/register/available", AuthMode.NONE, this::available);
        r.clientWithUnstable("POST", "/register/email/requestToken", AuthMode.NONE, c -> {
            // Checked before the body is read: Synapse has no email sender configured.
            throw MatrixException.unknown(400, "Email-based registration has been disabled on this server");
        });
        r.clientWithUnstable("POST", "/register/msisdn/requestToken", AuthMode.NONE, this::msisdnToken);
    }

    private Object registerUser(Call c) {
        ObjectNode body = c.object();
        String kind = c.query("kind");
        if ("guest".equals(kind)) {
            throw MatrixException.unknown(403, "Guest access is disabled");
        }
        if (kind != null && !kind.equals("user")) {
            throw new MatrixException(400, "M_UNRECOGNIZED", "Do not understand membership kind: " + kind);
        }
        JsonNode refresh = body.get("refresh_token");
        if (refresh != null && !refresh.isBoolean()) {
            throw MatrixException.unknown(400, "`refresh_token` should be true or false.");
        }
        JsonNode username = body.get("username");
        if (username != null && (!username.isTextual() || username.asText().length() > 512)) {
            throw MatrixException.unknown(400, "Invalid username");
        }
        String token = Authenticator.extractToken(c.headers("authorization"), c.queryMap());
        if (AS_TYPE.equals(body.path("type").textValue())) {
            return registerForAppservice(c, body, token, username);
        }
        if (token != null) {
            throw MatrixException.unknown(400, "An access token should not be provided on requests to /register "
                    + "(except if type is m.login.application_service)");
        }
        if (!s.options().openRegistration()) {
            throw MatrixException.forbidden("Registration has been disabled");
        }
        String localpart = username == null ? null : username.asText().toLowerCase(Locale.ROOT);
        // Synapse pops the password before the auth layer stores the body in the session.
        ObjectNode params = body.deepCopy();
        JsonNode password = params.remove("password");
        if (password != null && password.isNull()) {
            password = null;
        }
        if (password != null && (!password.isTextual() || password.asText().length() > 512)) {
            throw MatrixException.unknown(400, "Invalid password");
        }
        if (password == null) {
            // Synapse drops a display name sent without a password (a client bug once wiped the session's).
            params.remove("initial_device_display_name");
        }
        UiaSessions.Session known = uia.knownSession(body);
        String registered = known == null ? null : (String) model.uiaSessions().data(known, REGISTERED_USER);
        String passwordHash = known == null ? null : (String) model.uiaSessions().data(known, PASSWORD_HASH);
        if (localpart != null) {
            s.accounts().checkUsername(localpart, registered);
        }
        RegistrationAuth.Outcome auth = uia.check(c, params);
        if (auth.refusal() != null) {
            // The client need not send the password again: the session keeps its hash.
            if (passwordHash == null && password != null) {
                model.uiaSessions().putData(auth.session(), PASSWORD_HASH, s.accounts().hashPassword(password.asText()));
            }
            if (auth.refusal() instanceof MatrixException refused) {
                throw refused;
            }
            return auth.refusal();
        }
        ObjectNode finalParams = auth.params();
        User u;
        if (registered != null) {
            u = model.read(() -> model.user(registered));
        } else {
            if (password != null) {
                passwordHash = s.accounts().hashPassword(password.asText());
            }
            if (passwordHash == null) {
                throw MatrixException.missingParam("Missing params: password");
            }
            JsonNode desired = finalParams.get("username");
            String name = desired != null && desired.isTextual() ? desired.asText().toLowerCase(Locale.ROOT)
                    : "user" + model.ids().number();
            u = s.accounts().registerOrdinary(name, passwordHash, null);
            model.uiaSessions().putData(auth.session(), REGISTERED_USER, u.userId());
        }
        return registrationDetails(u, finalParams);
    }

    private Object registerForAppservice(Call c, ObjectNode body, String token, JsonNode username) {
        if (token == null) {
            throw MatrixException.unknown(400,
                    "Appservice token must be provided when using a type of m.login.application_service");
        }
        Appservice as = model.appserviceByToken(token);
        if (as == null) {
            throw MatrixException.unknownToken("Unrecognised access token");
        }
        c.resolvedAppservice(as);
        if (username == null) {
            throw MatrixException.unknown(400, "Desired Username is missing or not a string");
        }
        User u = s.accounts().registerForAppservice(as, username.asText(), s.options().requireExclusiveUserNamespace());
        boolean inhibit = body.path("inhibit_login").asBoolean(false);
        if (as.registration().msc4190() && !inhibit) {
            // Synapse creates the user before refusing (spec-digest §4.4): a retry then gets M_USER_IN_USE.
            throw new MatrixException(400, "IO.ELEMENT.MSC4190.M_APPSERVICE_LOGIN_UNSUPPORTED",
                    "This appservice has MSC4190 enabled, so appservice login cannot be used.");
        }
        return registrationDetails(u, body);
    }

    /** Synapse's {@code _create_registration_details}: the user, and a device and token unless inhibited. */
    private ObjectNode registrationDetails(User u, ObjectNode params) {
        ObjectNode o = Json.object();
        o.put("user_id", u.userId());
        o.put("home_server", model.serverName());
        if (!params.path("inhibit_login").asBoolean(false)) {
            Session session = s.accounts().login(u, params.path("device_id").textValue(),
                    params.path("initial_device_display_name").textValue());
            o.put("access_token", session.accessToken());
            o.put("device_id", session.deviceId());
        }
        return o;
    }

    /**
     * {@code RegisterAvailabilityServlet}: {@code check_username} on the name as given (no lower-casing, so
     * upper case is invalid here though registration accepts it).
     */
    private Object available(Call c) {
        String username = c.query("username");
        if (username == null) {
            throw MatrixException.missingParam("Missing string query parameter 'username'");
        }
        if (!s.options().openRegistration()) {
            throw MatrixException.forbidden("Registration has been disabled");
        }
        s.accounts().checkUsername(username);
        return Json.object().put("available", true);
    }

    /** {@code MsisdnRegisterRequestTokenRestServlet}: the body's four fields first, then no SMS delegate. */
    private Object msisdnToken(Call c) {
        ObjectNode body = c.object();
        RequiredParams.check(body, "client_secret", "country", "phone_number", "send_attempt");
        throw MatrixException.unknown(400, "Registration by phone number is not supported on this homeserver");
    }
}
