package dev.fakehomeserver.internal.dsl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.InjectionRefusedException;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.model.Redactions;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.RoomService;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.Session;
import dev.fakehomeserver.internal.model.User;
import dev.fakehomeserver.view.UserView;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The injection DSL's actor: builds the same requests the HTTP endpoints build and hands them to
 * {@link RoomService} (hence the one append path). A user in an appservice's exclusive namespace acts as that
 * appservice would, so alias rules and ownership match what the appservice itself could do.
 */
public final class DslActor implements Actor {
    private static final String DEVICE = "FAKEHS_DSL";
    private final Services s;
    private final HomeserverModel model;
    private final String userId;
    private Session session;

    public DslActor(Services services, String userId) {
        if (!userId.startsWith("@") || userId.indexOf(':') < 2) {
            throw new IllegalArgumentException("Not a user id: '" + userId + "' (expected @localpart:server)");
        }
        this.s = services;
        this.model = services.model();
        this.userId = userId;
        ensure();
    }

    /** The user, created when missing (again after a reset); appservice-owned when an exclusive namespace matches. */
    private User ensure() {
        synchronized (model) {
            User u = model.user(userId);
            if (u != null) {
                return u;
            }
            Appservice owner = owner();
            if (owner != null) {
                return refusing(() -> s.accounts().registerForAppservice(owner,
                        userId.substring(1, userId.indexOf(':')), false));
            }
            return s.accounts().ensureUser(userId, null);
        }
    }

    private Appservice owner() {
        if (!model.isMine(userId)) {
            return null;
        }
        // Asked on every send; remembered while the registration set is the same list (patterns never change).
        List<Appservice> all = model.appservices();
        Owner known = owner;
        if (known != null && known.of() == all) {
            return known.appservice();
        }
        Appservice found = null;
        for (Appservice as : all) {
            if (as.matcher().isExclusiveUser(userId) || as.senderUserId().equals(userId)) {
                found = as;
                break;
            }
        }
        owner = new Owner(all, found);
        return found;
    }

    /** The owner found among the appservice list {@code of}, or null for none. */
    private record Owner(List<Appservice> of, Appservice appservice) {}

    private volatile Owner owner;

    private Requester requester() {
        User u = ensure();
        Appservice as = u.appserviceId != null ? model.appservice(u.appserviceId) : owner();
        return new Requester(userId, null, as);
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String accessToken() {
        return session().accessToken();
    }

    @Override
    public String deviceId() {
        return session().deviceId();
    }

    private Session session() {
        synchronized (model) {
            User u = ensure();
            if (u.remote) {
                throw new IllegalStateException(userId + " is a remote user (not on server '" + model.serverName()
                        + "'): it has no access token here; its events are injected directly");
            }
            // Reuse this handle's session while it lives (a reset ends it); a new login per call would pile up.
            Session current = session;
            if (current != null && model.sessionByToken(current.accessToken()) == current) {
                return current;
            }
            session = s.accounts().login(u, DEVICE, "fake-homeserver test DSL");
            return session;
        }
    }

    @Override
    public UserView view() {
        ensure();
        return new Snapshots(model).user(userId).orElseThrow();
    }

    @Override
    public Actor displayName(String name) {
        s.accounts().ensureUser(ensure().userId, name);
        model.signal().bump();
        return this;
    }

    @Override
    public Actor avatarUrl(String mxcUrl) {
        synchronized (model) {
            ensure().avatarUrl = mxcUrl;
        }
        model.signal().bump();
        return this;
    }

    @Override
    public String createRoom() {
        return createRoom(RoomOptions.create());
    }

    @Override
    public String createRoom(RoomOptions o) {
        return refusing(() -> s.rooms().createRoom(requester(), new RoomService.CreateRoom(o.preset(),
                o.publish() ? "public" : null, o.name(), o.topic(), o.invite().isEmpty() ? null : o.invite(), null,
                o.aliasLocalpart(), o.direct(), null, null, null)));
    }

    @Override
    public String join(String room) {
        return refusing(() -> s.rooms().join(requester(), room));
    }

    @Override
    public void invite(String room, String invitee) {
        membership(room, invitee, "invite", null);
    }

    @Override
    public void leave(String room) {
        membership(room, userId, "leave", null);
    }

    @Override
    public void kick(String room, String target, String reason) {
        membership(room, target, "leave", reason);
    }

    @Override
    public void ban(String room, String target, String reason) {
        membership(room, target, "ban", reason);
    }

    private void membership(String room, String target, String membership, String reason) {
        refusing(() -> {
            synchronized (model) {
                ensure();
                return s.rooms().appendMembership(roomId(room), userId, target,
                        s.rooms().memberContent(target, membership, reason));
            }
        });
    }

    @Override
    public String send(String room, String text) {
        return message(room, "m.text", text);
    }

    @Override
    public String notice(String room, String text) {
        return message(room, "m.notice", text);
    }

    @Override
    public String emote(String room, String text) {
        return message(room, "m.emote", text);
    }

    private String message(String room, String msgtype, String text) {
        return sendContent(room, "m.room.message", Map.of("msgtype", msgtype, "body", text));
    }

    @Override
    public String image(String room, String mxcUrl, String body, String mimetype) {
        return sendContent(room, "m.room.message", Map.of("msgtype", "m.image", "body", body, "url", mxcUrl,
                "info", Map.of("mimetype", mimetype)));
    }

    @Override
    public String sendContent(String room, String type, Map<String, ?> content) {
        ObjectNode c = Json.MAPPER.valueToTree(content);
        return refusing(() -> s.rooms().sendEvent(requester(), roomId(room), type, c));
    }

    @Override
    public String setState(String room, String type, String stateKey, Map<String, ?> content) {
        ObjectNode c = Json.MAPPER.valueToTree(content);
        return refusing(() -> s.rooms().setState(requester(), roomId(room), type, stateKey, c, null));
    }

    @Override
    public String redact(String room, String eventId, String reason) {
        String roomId = roomId(room);
        // The same redaction path as PUT /redact: a m.room.redaction event through the one append path.
        return refusing(() -> new Redactions(model).redact(requester(), roomId, eventId, reason, null,
                "dsl-redact|" + userId + "|" + eventId + "|" + System.nanoTime()));
    }

    @Override
    public void typing(String room, boolean typing) {
        String roomId = roomId(room);
        refusing(() -> {
            synchronized (model) {
                requireJoined(roomId);
                model.ephemeral().setTyping(roomId, userId, typing, 30_000);
            }
            return null;
        });
    }

    @Override
    public void receipt(String room, String eventId) {
        String roomId = roomId(room);
        refusing(() -> {
            synchronized (model) {
                requireJoined(roomId);
                model.ephemeral().putReceipt(roomId, userId, "m.read", eventId, null);
            }
            return null;
        });
    }

    @Override
    public void presence(String state) {
        if (!java.util.Set.of("online", "offline", "unavailable").contains(state)) {
            throw new IllegalArgumentException("presence must be online, offline or unavailable, not " + state);
        }
        model.ephemeral().setPresence(userId, state, null);
    }

    private void requireJoined(String roomId) {
        var r = model.room(roomId);
        if (r == null || !"join".equals(r.state.membership(userId))) {
            throw dev.fakehomeserver.internal.base.MatrixException.forbidden("User " + userId + " not in room " + roomId);
        }
    }

    private String roomId(String roomIdOrAlias) {
        if (!roomIdOrAlias.startsWith("#")) {
            return roomIdOrAlias;
        }
        synchronized (model) {
            String id = model.roomForAlias(roomIdOrAlias);
            if (id == null) {
                throw new InjectionRefusedException(404, "M_NOT_FOUND", "Room alias " + roomIdOrAlias + " not found");
            }
            return id;
        }
    }

    /** Runs a model operation and turns the HTTP API's refusal into the DSL's public exception. */
    private static <T> T refusing(Supplier<T> op) {
        try {
            return op.get();
        } catch (MatrixException e) {
            throw new InjectionRefusedException(e.status(), e.errcode(), e.error());
        }
    }

    @Override
    public String toString() {
        return "Actor[" + userId + "]";
    }
}
