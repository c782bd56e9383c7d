package dev.fakehomeserver.internal.registration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.journal.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Recognises an appservice registering again a user of its own namespace and getting {@code M_USER_IN_USE}: what
 * matrix-appservice-bridge's and mautrix's "ensure registered" do after every restart, treating the refusal as
 * success. Such a refusal is not a violation unless the test asks for it ({@code userInUseIsViolation(true)}).
 */
public final class RegistrationRetries {
    private RegistrationRetries() {}

    /**
     * Whether {@code r} is {@code POST /register} refused with {@code M_USER_IN_USE}, made with an appservice's
     * as_token, for a username inside one of that appservice's users namespaces.
     *
     * @param registrations the registration of an appservice id, or null when it is gone
     */
    public static boolean isOwnUserInUse(RecordedRequest r, Function<String, Registration> registrations,
                                         String serverName) {
        if (!"M_USER_IN_USE".equals(r.errcode()) || r.appserviceId() == null || !r.shortPath().startsWith("/register")) {
            return false;
        }
        Registration reg = registrations.apply(r.appserviceId());
        if (reg == null) {
            return false;
        }
        JsonNode body;
        try {
            body = Json.parse(r.requestBody().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException notJson) {
            return false;
        }
        JsonNode username = body.get("username");
        if (username == null || !username.isTextual()) {
            return false;
        }
        String userId = "@" + username.asText() + ":" + serverName;
        return reg.users().stream().anyMatch(ns -> ns.matches(userId));
    }
}
