package dev.fakehomeserver.internal.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.BodyLimit;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.http.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Registrations at runtime, as the hosting platform's dashboard adds and removes them: {@code POST appservices}
 * (the body is the registration YAML, or the same as JSON, since JSON is YAML), {@code DELETE appservices/{id}}
 * (its as_token stops working at once; its users stay), {@code GET appservices}, {@code PUT appservices/{id}}
 * (a new push url). Tokens are never answered.
 */
final class AppserviceControl {
    /** The largest registration body read (issue 17, item 3). */
    static final long MAX_REGISTRATION_BYTES = 64 * 1024;
    /** How much of a loader message an answer echoes. */
    static final int MAX_ECHO_CHARS = 1024;
    private final Homeserver hs;

    AppserviceControl(Homeserver hs) {
        this.hs = hs;
    }

    void register(RouteTable.Builder r) {
        String base = ControlApiRoutes.V1 + "/appservices";
        // Refused above 64 KiB before SnakeYAML sees it: its scalar parsing grows faster than linearly (10 MB
        // took a minute), and a real registration is a few hundred bytes.
        r.add("POST", base, AuthMode.REQUIRED, new BodyLimit(MAX_REGISTRATION_BYTES, "Registration too large"), this::add);
        r.add("GET", base, AuthMode.REQUIRED, this::list);
        r.add("DELETE", base + "/{id}", AuthMode.REQUIRED, this::remove);
        r.add("PUT", base + "/{id}", AuthMode.REQUIRED, Fields.only(this::update, "url"));
    }

    private Object add(Call call) {
        Registration reg;
        try {
            // The same loader and checks as a file given at start; its message names field and line.
            reg = Registration.fromYaml(new String(call.body(), StandardCharsets.UTF_8), "control API registration");
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam(truncated(e.getMessage()));
        }
        Registration added = reg;
        // The facade validates it like a registration given at start, namespace conflicts included.
        FacadeCalls.run(() -> hs.addRegistration(added));
        return describe(hs.registration(reg.id()));
    }

    /** A loader message echoes the offending text; a long scalar is cut so the answer stays small. */
    static String truncated(String message) {
        if (message == null || message.length() <= MAX_ECHO_CHARS) {
            return message;
        }
        return message.substring(0, MAX_ECHO_CHARS) + "...(" + (message.length() - MAX_ECHO_CHARS) + " chars cut)";
    }

    /**
     * {@code {"url": "http://127.0.0.1:9001"}}: {@code hs.setAppserviceUrl(id, url)}, pushing there from the next
     * request on (null: push nothing, as a registration without url). Answers the registration as listed.
     */
    private Object update(Call call) {
        String id = call.param("id");
        if (!call.object().has("url")) {
            throw MatrixException.missingParam("Give 'url' (the new push url, or null for none)");
        }
        String url = call.optString("url");
        FacadeCalls.run(() -> hs.setAppserviceUrl(id, url));
        return describe(hs.registration(id));
    }

    private Object remove(Call call) {
        FacadeCalls.run(() -> hs.removeRegistration(call.param("id")));
        return Json.object();
    }

    private Object list(Call call) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("appservices");
        hs.registrations().forEach(reg -> list.add(describe(reg)));
        return out;
    }

    private ObjectNode describe(Registration r) {
        return describe(r, hs.serverName());
    }

    /** A registration as the control API lists it: never its tokens. */
    static ObjectNode describe(Registration r, String serverName) {
        ObjectNode o = Json.object();
        o.put("id", r.id());
        o.put("url", r.url());
        o.put("sender_user_id", r.senderUserId(serverName));
        o.put("source", r.source());
        ObjectNode ns = o.putObject("namespaces");
        namespaces(ns.putArray("users"), r.users());
        namespaces(ns.putArray("aliases"), r.aliases());
        namespaces(ns.putArray("rooms"), r.rooms());
        return o;
    }

    private static void namespaces(ArrayNode out, List<Namespace> list) {
        for (Namespace n : list) {
            out.addObject().put("regex", n.regex()).put("exclusive", n.exclusive());
        }
    }
}
