package dev.fakehomeserver.internal.http.client;

import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;

/**
 * {@code GET /v1/register/m.login.registration_token/validity}. The fake's registration needs no token (like the
 * platform's Synapse, where {@code registration_requires_token} is off), so no token is ever valid: Synapse 1.94
 * answers {@code {"valid": false}} for any token then, whatever its characters or length.
 */
public final class RegistrationTokenEndpoints {
    public void register(RouteTable.Builder r) {
        r.add("GET", "/_matrix/client/v1/register/m.login.registration_token/validity", AuthMode.NONE, this::validity);
    }

    private Object validity(Call c) {
        if (c.query("token") == null) {
            throw MatrixException.missingParam("Missing string query parameter 'token'");
        }
        return Json.object().put("valid", false);
    }
}
