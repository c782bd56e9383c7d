package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET users/{userId}/sync?since=TOKEN}: a user's sync answer for tests written in other languages, the
 * facade's {@code hs.user(..).sync(since).poll()}. It answers at once; for a long poll, call the client API's
 * {@code /sync} with the user's token (or wait for what you expect with a {@code ?wait_ms=} read, {@link Waits}).
 */
final class SyncControl {
    private final Homeserver hs;

    SyncControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        r.add("GET", ControlApiRoutes.V1 + "/users/{userId}/sync", AuthMode.REQUIRED, this::sync);
    }

    private Object sync(Call call) {
        String since = call.query("since");
        String body;
        try {
            body = hs.user(call.param("userId")).sync(since == null || since.isEmpty() ? null : since).poll();
        } catch (IllegalArgumentException e) {
            throw MatrixException.unknown(400, "Invalid stream token");
        }
        return Json.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
