package dev.fakehomeserver.internal.http.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.base.PythonText;
import dev.fakehomeserver.internal.http.AuthMode;
import dev.fakehomeserver.internal.http.Call;
import dev.fakehomeserver.internal.http.RouteTable;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.User;
import java.util.List;

/**
 * Profiles: displayname and avatar_url, propagated to the user's member events, as Synapse 1.94's
 * {@code rest/client/profile.py} and {@code handlers/profile.py} do (checked by the {@code profile} conversation).
 *
 * <p>Reads take no token (Synapse does not look at one, so a wrong token still reads) and check
 * {@code UserID.is_valid} first; a remote user answers Synapse's 403 "Federation denied" (no federation here).
 * Writes check, in Synapse's order: the path's user id, the body, the field's presence, that the user is local,
 * that it is the requester, the value's type, its length in code points. A displayname is stored stripped; an
 * empty value clears the field. The appservice's sender has no profile until it sets one, then has one (Synapse
 * upserts the row).
 *
 * <p>Synapse matches its paths by prefix: {@code GET /profile/{userId}/anything} answers the whole profile and
 * {@code PUT} there answers 405; Synapse also serves these under {@code /api/v1} and {@code /unstable}. Deeper
 * paths ({@code /profile/{userId}/displayname/x}), which Synapse's prefix match also serves, answer 404 here.
 */
public final class ProfileEndpoints {
    private static final String DISPLAYNAME = "displayname";
    private static final String AVATAR_URL = "avatar_url";
    private static final int MAX_DISPLAYNAME_LEN = 256;
    private static final int MAX_AVATAR_URL_LEN = 1000;

    private final Services s;
    private final HomeserverModel model;

    public ProfileEndpoints(Services services) {
        this.s = services;
        this.model = services.model();
    }

    public void register(RouteTable.Builder r) {
        r.clientV1("GET", "/profile/{userId}", AuthMode.NONE, c -> read(c, null));
        r.clientV1("GET", "/profile/{userId}/displayname", AuthMode.NONE, c -> read(c, DISPLAYNAME));
        r.clientV1("GET", "/profile/{userId}/avatar_url", AuthMode.NONE, c -> read(c, AVATAR_URL));
        r.clientV1("PUT", "/profile/{userId}/displayname", AuthMode.REQUIRED, c -> set(c, DISPLAYNAME));
        r.clientV1("PUT", "/profile/{userId}/avatar_url", AuthMode.REQUIRED, c -> set(c, AVATAR_URL));
        // Synapse's prefix match: any other last segment reads the whole profile (and other methods 405).
        r.clientV1("GET", "/profile/{userId}/{other}", AuthMode.NONE, c -> read(c, null));
    }

    /** One field, or the whole profile when {@code field} is null. */
    private Object read(Call c, String field) {
        String userId = c.param("userId");
        if (!SynapseIds.isValidUserId(userId)) {
            throw MatrixException.invalidParam("Invalid user id");
        }
        if (!model.isMine(userId)) {
            String domain = userId.substring(userId.indexOf(':') + 1);
            throw MatrixException.forbidden("Federation denied with " + domain + ".");
        }
        return model.read(() -> {
            User u = model.user(userId);
            if (u == null || u.isRemote() || !u.hasProfile()) {
                throw MatrixException.notFound("Profile was not found");
            }
            ObjectNode o = Json.object();
            if (field == null || field.equals(DISPLAYNAME)) {
                putIfSet(o, DISPLAYNAME, u.displayname());
            }
            if (field == null || field.equals(AVATAR_URL)) {
                putIfSet(o, AVATAR_URL, u.avatarUrl());
            }
            return o;
        });
    }

    private static void putIfSet(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    private Object set(Call c, String field) {
        Requester r = c.who();
        String target = SynapseIds.userId(c.param("userId"));
        ObjectNode body = c.object();
        JsonNode v = body.get(field);
        if (v == null) {
            throw field.equals(DISPLAYNAME) ? MatrixException.badJson("Unable to parse name")
                    : MatrixException.missingParam("Missing key 'avatar_url'");
        }
        if (!model.isMine(target)) {
            throw MatrixException.unknown(400, "User is not hosted on this homeserver");
        }
        if (!target.equals(r.userId())) {
            throw MatrixException.forbidden400("Cannot set another user's " + field);
        }
        if (!v.isTextual()) {
            throw MatrixException.invalidParam("'" + field + "' must be a string");
        }
        String value = v.asText();
        int max = field.equals(DISPLAYNAME) ? MAX_DISPLAYNAME_LEN : MAX_AVATAR_URL_LEN;
        // Python's len() counts code points, so an emoji is one character, not two UTF-16 units.
        if (value.codePointCount(0, value.length()) > max) {
            throw MatrixException.unknown(400, (field.equals(DISPLAYNAME) ? "Displayname" : "Avatar URL")
                    + " is too long (max " + max + ")");
        }
        String stored = value.isEmpty() ? null : field.equals(DISPLAYNAME) ? PythonText.strip(value) : value;
        model.write(() -> {
            // Only the appservice's sender can lack a user or a profile here (every other requester is
            // registered): Synapse upserts its profile row, so it has a profile from now on, with just this field.
            User u = s.accounts().ensureSender(target);
            u.hasProfile(true);
            if (field.equals(DISPLAYNAME)) {
                u.displayname(stored);
            } else {
                u.avatarUrl(stored);
            }
            // Synapse re-sends the member event of every joined room with the new profile.
            for (String roomId : List.copyOf(model.joinedRooms(target))) {
                if (model.room(roomId) != null) {
                    s.rooms().appendMembership(roomId, target, target, s.rooms().memberContent(target, "join", null));
                }
            }
            model.signal().bump();
        });
        return Json.object();
    }
}
