package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.JsonLimits;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.Response;
import dev.fakehomeserver.internal.http.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Scenes over HTTP: {@code GET scene} answers {@code hs.exportScene()} (YAML: users, and rooms with their whole
 * history), {@code POST scene} loads one ({@code hs.seedYaml(..)}: the seed format, so a hand-written seed works
 * too). A scene set up by hand with a client or the console becomes a fixture: save the answer, load it in the
 * next run with {@code --scene}, this endpoint, or the in-process seeds.
 */
final class SceneControl {
    private final Homeserver hs;

    SceneControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        r.add("GET", ControlApiRoutes.V1 + "/scene", AuthMode.REQUIRED, call -> Response.bytes(200,
                hs.exportScene().getBytes(StandardCharsets.UTF_8), "application/yaml; charset=utf-8", Map.of()));
        r.add("POST", ControlApiRoutes.V1 + "/scene", AuthMode.REQUIRED, this::load);
    }

    /** The body is the scene's YAML (JSON is YAML too); a bad one is 400 naming the field and line. */
    private Object load(Call call) {
        byte[] body = call.body();
        if (!JsonLimits.isStrictUtf8(body)) {
            throw MatrixException.invalidParam("The scene must be UTF-8 text (YAML)");
        }
        int before = hs.rooms().size();
        FacadeCalls.run(() -> hs.seedYaml(new String(body, StandardCharsets.UTF_8), "POST /_fakehs/v1/scene"));
        return Json.object().put("rooms", hs.rooms().size()).put("rooms_added", hs.rooms().size() - before)
                .put("users", hs.users().size());
    }
}
