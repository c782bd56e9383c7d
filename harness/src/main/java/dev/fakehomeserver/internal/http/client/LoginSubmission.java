package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.Accounts;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.User;

/**
 * Synapse 1.94's {@code validate_login} up to the password check, shared by {@code POST /login} and the
 * {@code m.login.password} stage of user-interactive auth (Synapse runs the same code for both): the type, the
 * password's type, the legacy {@code user}/{@code medium}/{@code address} fields folded into an identifier
 * ({@code convert_client_dict_legacy_fields_to_identifier}: a truthy {@code user} wins over
 * {@code identifier}), {@code m.id.phone} turned into a third-party id, and third-party ids looked up. Each
 * refusal has Synapse's status, errcode and message, in Synapse's order (recorded in conversations/login).
 *
 * <p>The fake binds no third-party ids (binding needs an identity server), so every {@code m.id.thirdparty}
 * that parses is "Invalid username or password", as an unbound one is in Synapse.
 */
final class LoginSubmission {
    static final String PW_TYPE = "m.login.password";
    static final String BAD_CREDENTIALS = "Invalid username or password";

    private LoginSubmission() {}

    /**
     * The type of a submission that is not an appservice or token login, which Synapse requires to be a string.
     */
    static String type(ObjectNode submission) {
        JsonNode type = submission.get("type");
        if (type == null || !type.isTextual()) {
            throw MatrixException.invalidParam("Bad parameter: type");
        }
        return type.asText();
    }

    /**
     * The whole of {@code validate_login} for a submission of this {@code type}: its shape, then the local
     * password check. The one place {@code POST /login}, registration's stages and re-authentication check a
     * password.
     *
     * @return the user the password is of; an unknown user, a third-party id or a wrong password is 403
     *     {@code M_FORBIDDEN} {@value #BAD_CREDENTIALS}, a type other than the password's 400
     */
    static User authenticate(ObjectNode submission, String type, Services s) {
        String password = password(submission, type);
        String userId = userId(submission, s.accounts());
        if (password == null) {
            throw MatrixException.unknown(400, "Unknown login type " + type);
        }
        User u = s.model().read(() -> s.accounts().findForLogin(userId));
        if (u == null || !s.accounts().checkPassword(u, password)) {
            throw MatrixException.forbidden(BAD_CREDENTIALS);
        }
        return u;
    }

    /** The password of an {@code m.login.password} submission (any string, even empty), or null for other types. */
    static String password(ObjectNode submission, String type) {
        if (!type.equals(PW_TYPE)) {
            return null;
        }
        JsonNode password = submission.get("password");
        if (password == null || !password.isTextual()) {
            throw MatrixException.invalidParam("Bad parameter: password");
        }
        return password.asText();
    }

    /**
     * The user id the submission names, qualified but not looked up (the caller's password check refuses an
     * unknown one with 403).
     */
    static String userId(ObjectNode submission, Accounts accounts) {
        JsonNode id = legacyIdentifier(submission);
        if (isText(id.get("type"), "m.id.phone")) {
            id = phoneToThirdParty(id);
        }
        if (isText(id.get("type"), "m.id.thirdparty")) {
            JsonNode medium = id.get("medium");
            JsonNode address = id.get("address");
            if (medium == null || medium.isNull() || address == null || address.isNull()) {
                throw MatrixException.unknown(400, "Invalid thirdparty identifier");
            }
            if (isText(medium, "email") && address.asText().strip().split("@", -1).length != 2) {
                throw MatrixException.unknown(400, "Unable to parse email address");
            }
            throw MatrixException.forbidden(BAD_CREDENTIALS);
        }
        if (!isText(id.get("type"), "m.id.user")) {
            throw MatrixException.unknown(400, "Unknown login identifier type");
        }
        JsonNode user = id.get("user");
        if (!Json.truthy(user)) {
            throw MatrixException.unknown(400, "User identifier is missing 'user' key");
        }
        if (!user.isTextual()) {
            // Synapse 1.94 calls startswith on it and answers 500; a correct server refuses the value.
            throw MatrixException.invalidParam("Invalid user in identifier");
        }
        return accounts.qualify(user.asText());
    }

    /** Synapse's {@code convert_client_dict_legacy_fields_to_identifier}. */
    private static JsonNode legacyIdentifier(ObjectNode submission) {
        JsonNode id = submission.has("identifier") ? submission.get("identifier") : Json.object();
        if (Json.truthy(submission.get("user"))) {
            ObjectNode user = Json.object().put("type", "m.id.user");
            user.set("user", submission.get("user"));
            id = user;
        }
        if (Json.truthy(submission.get("medium")) && Json.truthy(submission.get("address"))) {
            ObjectNode tp = Json.object().put("type", "m.id.thirdparty");
            tp.set("medium", submission.get("medium"));
            tp.set("address", submission.get("address"));
            id = tp;
        }
        if (!Json.truthy(id)) {
            throw MatrixException.invalidParam("Invalid login submission");
        }
        // Python's `"type" in identifier`: a key of an object, a substring of a string, an item of a list.
        boolean hasType = id.isObject() ? id.has("type")
                : id.isTextual() ? id.asText().contains("type")
                : id.isArray() && containsText(id, "type");
        if (!hasType) {
            throw MatrixException.missingParam("'identifier' dict has no key 'type'");
        }
        if (!id.isObject()) {
            // Synapse 1.94 then indexes a string or a list by "type" and answers 500.
            throw MatrixException.invalidParam("Invalid identifier");
        }
        return id;
    }

    /** Synapse's {@code login_id_phone_to_thirdparty}, whose {@code get("phone", identifier["number"])} needs a number. */
    private static JsonNode phoneToThirdParty(JsonNode id) {
        if (!id.has("country") || (!id.has("phone") && !id.has("number"))) {
            throw MatrixException.invalidParam("Invalid phone-type identifier");
        }
        if (!id.has("number")) {
            // Python evaluates the default first: a KeyError, which /login turns into this.
            throw MatrixException.unknown(400, "Missing JSON keys.");
        }
        JsonNode phone = id.has("phone") ? id.get("phone") : id.get("number");
        JsonNode country = id.get("country");
        ObjectNode tp = Json.object().put("type", "m.id.thirdparty").put("medium", "msisdn");
        tp.put("address", msisdn(country.isTextual() ? country.asText() : null, phone.isTextual() ? phone.asText() : null));
        return tp;
    }

    /**
     * Synapse's {@code phone_number_to_msisdn}, roughly: the digits of a number that has some (the fake keeps no
     * phone numbers, so only whether it parses matters). A null country or number does not parse.
     */
    static String msisdn(String country, String number) {
        String digits = number == null ? "" : number.replaceAll("[^0-9]", "");
        if (country == null || digits.length() < 2) {
            throw MatrixException.unknown(400, "Unable to parse phone number");
        }
        return digits;
    }

    private static boolean isText(JsonNode v, String text) {
        return v != null && v.isTextual() && v.asText().equals(text);
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode item : array) {
            if (isText(item, text)) {
                return true;
            }
        }
        return false;
    }
}
