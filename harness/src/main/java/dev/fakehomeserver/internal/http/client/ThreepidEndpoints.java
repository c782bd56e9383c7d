package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.model.Services;
import java.util.regex.Pattern;

/**
 * The account's third-party ids ({@code /account/3pid/...}) as Synapse 1.94 answers them with no email or SMS
 * configured and no identity server reachable (recorded in conversations/account): nothing can ever be
 * validated, so the list is empty, adding fails with {@code M_THREEPID_AUTH_FAILED}, unbinding and deleting
 * find nothing ("no-support"), and requesting a token is refused. Each endpoint checks the token and the body
 * in Synapse's order (some read the body first).
 */
public final class ThreepidEndpoints {
    /** Synapse's {@code ClientSecretStr}: pydantic searches the class, so one such character suffices. */
    private static final Pattern CLIENT_SECRET_CHAR = Pattern.compile("[0-9a-zA-Z.=_-]");
    /** {@code assert_valid_client_secret}, for the deprecated {@code POST /account/3pid}. */
    private static final Pattern CLIENT_SECRET = Pattern.compile("[0-9a-zA-Z.=_\\-]+");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private final UserInteractiveAuth uia;

    public ThreepidEndpoints(Services services) {
        this.uia = new UserInteractiveAuth(services);
    }

    public void register(RouteTable.Builder r) {
        r.clientWithUnstable("GET", "/account/3pid", AuthMode.REQUIRED, c -> threepids());
        r.clientWithUnstable("POST", "/account/3pid", AuthMode.REQUIRED, ThreepidEndpoints::addDeprecated);
        r.clientWithUnstable("POST", "/account/3pid/add", AuthMode.REQUIRED, this::add);
        r.clientWithUnstable("POST", "/account/3pid/bind", AuthMode.LATE, ThreepidEndpoints::bind);
        r.clientWithUnstable("POST", "/account/3pid/unbind", AuthMode.REQUIRED, ThreepidEndpoints::unbind);
        r.clientWithUnstable("POST", "/account/3pid/delete", AuthMode.LATE, ThreepidEndpoints::delete);
        r.clientWithUnstable("POST", "/account/3pid/email/requestToken", AuthMode.NONE, c -> {
            throw MatrixException.unknown(400, "Adding an email to your account is disabled on this server");
        });
        r.clientWithUnstable("POST", "/account/3pid/msisdn/requestToken", AuthMode.NONE,
                ThreepidEndpoints::requestMsisdnToken);
        r.clientWithUnstable("POST", "/account/password/email/requestToken", AuthMode.NONE, c -> {
            throw MatrixException.unknown(400, "Email-based password resets have been disabled on this server");
        });
    }

    private static ObjectNode threepids() {
        ObjectNode o = Json.object();
        o.putArray("threepids");
        return o;
    }

    private static MatrixException noValidatedSession() {
        return new MatrixException(400, "M_THREEPID_AUTH_FAILED", "No validated 3pid session found");
    }

    /** The deprecated {@code POST /account/3pid}: {@code threePidCreds} or {@code three_pid_creds}, checked by hand. */
    private static Object addDeprecated(Call c) {
        c.who();
        ObjectNode body = c.object();
        JsonNode creds = Json.truthy(body.get("threePidCreds")) ? body.get("threePidCreds") : body.get("three_pid_creds");
        if (creds == null || creds.isNull()) {
            throw MatrixException.missingParam("Missing param three_pid_creds");
        }
        RequiredParams.check(creds, "client_secret", "sid");
        JsonNode secret = creds.get("client_secret");
        // Synapse 1.94 takes len() of a secret that is not a string and answers 500; a correct server refuses it.
        if (!secret.isTextual() || secret.asText().length() > 255 || !CLIENT_SECRET.matcher(secret.asText()).matches()) {
            throw MatrixException.invalidParam("Invalid client_secret parameter");
        }
        throw noValidatedSession();
    }

    /** {@code PostBody(auth, client_secret, sid)} after the token, then the password stage. */
    private Object add(Call c) {
        Requester r = c.who();
        ObjectNode body = c.object();
        ObjectNode auth = UserInteractiveAuth.authField(body);
        BodyModel m = new BodyModel(body);
        m.constrStr("client_secret", CLIENT_SECRET_CHAR, 1, 255);
        m.strictStr("sid");
        m.validate();
        Object challenge = uia.check(c, r, auth);
        if (challenge != null) {
            return challenge;
        }
        throw noValidatedSession();
    }

    /**
     * {@code PostBody(client_secret, id_access_token, id_server, sid)} before the token. Synapse would then ask
     * the identity server, and 1.94 answers 500 when it cannot reach it; the fake talks to no identity server.
     */
    private static Object bind(Call c) {
        BodyModel m = new BodyModel(c.object());
        m.constrStr("client_secret", CLIENT_SECRET_CHAR, 1, 255);
        m.strictStr("id_access_token");
        m.strictStr("id_server");
        m.strictStr("sid");
        m.validate();
        c.who();
        throw new MatrixException(400, "M_SERVER_NOT_TRUSTED",
                "The fake homeserver does not contact identity servers: nothing can be bound");
    }

    /** After the token, {@code PostBody(address, id_server, medium: Literal["email", "msisdn"])}: nothing is bound. */
    private static Object unbind(Call c) {
        c.who();
        mediumAndAddress(c.object());
        return Json.object().put("id_server_unbind_result", "no-support");
    }

    /** The same body as {@link #unbind}, before the token: no id is bound, none is stored. */
    private static Object delete(Call c) {
        mediumAndAddress(c.object());
        c.who();
        return Json.object().put("id_server_unbind_result", "no-support");
    }

    private static void mediumAndAddress(ObjectNode body) {
        BodyModel m = new BodyModel(body);
        m.strictStr("address");
        m.optStrictStr("id_server", 0);
        m.requiredLiteral("medium", "email", "msisdn");
        m.validate();
    }

    /**
     * {@code MsisdnRequestTokenBody} (no token is asked for), the number parsed, then the refusal Synapse gives
     * without an {@code account_threepid_delegates.msisdn}.
     */
    private static Object requestMsisdnToken(Call c) {
        ObjectNode body = c.object();
        BodyModel m = new BodyModel(body);
        m.constrStr("client_secret", CLIENT_SECRET_CHAR, 1, 255);
        String idServer = m.optStrictStr("id_server", 0);
        String idAccessToken = m.optStrictStr("id_access_token", 0);
        JsonNode token = body.get("id_access_token");
        if (idServer != null && idAccessToken == null && (token == null || token.isNull())) {
            m.valueError("id_access_token", "id_access_token is required if an id_server is supplied.");
        }
        m.optStrictStr("next_link", 0);
        m.strictInt("send_attempt");
        String country = m.constrStr("country", COUNTRY, 0, Integer.MAX_VALUE);
        String number = m.strictStr("phone_number");
        m.validate();
        LoginSubmission.msisdn(country, number);
        throw MatrixException.unknown(400, "Adding phone numbers to user account is not supported by this homeserver");
    }
}
