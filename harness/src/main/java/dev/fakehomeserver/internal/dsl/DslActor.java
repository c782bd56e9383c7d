package dev.fakehomeserver.internal.dsl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.InjectionRefusedException;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.internal.model.Requester;
import dev.fakehomeserver.internal.base.Json;
import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.base.UserIds;
import dev.fakehomeserver.internal.model.Appservice;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Redactions;
import dev.fakehomeserver.internal.model.Room;
import dev.fakehomeserver.internal.model.RoomService;
import dev.fakehomeserver.internal.model.Services;
import dev.fakehomeserver.internal.model.Session;
import dev.fakehomeserver.internal.model.User;
import dev.fakehomeserver.view.UserView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The injection DSL's actor: builds the same requests the HTTP endpoints build and hands them to
 * {@link RoomService} (hence the one append path). A user in an appservice's exclusive namespace acts as that
 * appservice would, so alias rules and ownership match what the appservice itself could do. Every face that
 * acts as a user (the in-process API, seeds, the control API) comes through here.
 */
public final class DslActor implements Actor {
    private static final String DEVICE = "FAKEHS_DSL";
    private static final Set<String> PRESENCE = Set.of("online", "offline", "unavailable");
    private final Services s;
    private final HomeserverModel model;
    private final String userId;
    /** The timestamp of this actor's messages and state events, or null for the clock's time. */
    private final Long ts;
    private Session session;

    public DslActor(Services services, String userId) {
        this(services, UserIds.require(userId), null);
    }

    private DslActor(Services services, String userId, Long ts) {
        this.s = services;
        this.model = services.model();
        this.userId = userId;
        this.ts = ts;
        ensure();
    }

    /** The user, created when missing (again after a reset); appservice-owned when an exclusive namespace matches. */
    private User ensure() {
        return model.write(() -> {
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
        });
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
        Appservice as = u.appserviceId() != null ? model.appservice(u.appserviceId()) : owner();
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
        return model.write(() -> {
            User u = localUser();
            // Reuse this handle's session while it lives (a reset ends it); a new login per call would pile up.
            Session current = session;
            if (current != null && model.sessionByToken(current.accessToken()) == current) {
                return current;
            }
            session = s.accounts().login(u, DEVICE, "fake-homeserver test DSL");
            return session;
        });
    }

    @Override
    public Login login(String deviceDisplayName) {
        Session fresh = model.write(() -> s.accounts().login(localUser(), null, deviceDisplayName));
        return new Login(fresh.deviceId(), fresh.accessToken());
    }

    private User localUser() {
        User u = ensure();
        if (u.isRemote()) {
            throw new IllegalStateException(userId + " is a remote user (not on server '" + model.serverName()
                    + "'): it has no access token here; its events are injected directly");
        }
        return u;
    }

    @Override
    public Actor at(long originServerTs) {
        return new DslActor(s, userId, originServerTs);
    }

    @Override
    public UserView view() {
        ensure();
        return new Snapshots(model).user(userId).orElseThrow();
    }

    @Override
    public Actor displayName(String name) {
        s.accounts().ensureUser(ensure().userId(), name);
        model.signal().bump();
        return this;
    }

    @Override
    public Actor avatarUrl(String mxcUrl) {
        model.write(() -> {
            ensure().avatarUrl(mxcUrl);
        });
        model.signal().bump();
        return this;
    }

    @Override
    public String createRoom() {
        return createRoom(RoomOptions.create());
    }

    /** Creates the room, then brings {@link RoomOptions#members()} in: invited unless the room is public, joined. */
    @Override
    public String createRoom(RoomOptions o) {
        List<DslActor> members = new ArrayList<>();
        for (String m : o.members()) {
            members.add(new DslActor(s, m));   // created before the room, as a client would have registered them
        }
        String roomId = refusing(() -> s.rooms().createRoom(requester(), new RoomService.CreateRoom(o.preset(),
                o.publish() ? "public" : null, o.name(), o.topic(), o.invite().isEmpty() ? null : o.invite(), null,
                o.aliasLocalpart(), o.direct(), null, null, null)));
        for (DslActor member : members) {
            String current = model.read(() -> model.room(roomId).state().membership(member.userId()));
            if ("join".equals(current)) {
                continue;
            }
            boolean open = model.read(() -> "public".equals(model.room(roomId).state().joinRule()));
            if (!open && !"invite".equals(current)) {
                invite(roomId, member.userId());
            }
            member.join(roomId);
        }
        return roomId;
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
        refusing(() -> model.write(() -> {
            ensure();
            return s.rooms().appendMembership(roomId(room), userId, target,
                    s.rooms().memberContent(target, membership, reason));
        }));
    }

    @Override
    public String membership(String room, String target, Map<String, ?> content) {
        ObjectNode c = Json.MAPPER.valueToTree(content);
        return refusing(() -> model.write(() -> {
            ensure();
            return s.rooms().appendMembership(roomId(room), userId, target, c).eventId();
        }));
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
        // The tree built directly: Jackson's valueToTree of a Map (writing it to tokens and reading them back) was
        // a fifth of an injected send's time (benchmarks/README.md, figure 4). Keys in canonical order, as
        // Synapse stores them; a null text is refused as Map.of refused it.
        ObjectNode c = Json.object().put("body", Objects.requireNonNull(text)).put("msgtype", msgtype);
        return refusing(() -> s.rooms().sendEvent(requester(), roomId(room), "m.room.message", c, ts));
    }

    @Override
    public String image(String room, String mxcUrl, String body, String mimetype) {
        return sendContent(room, "m.room.message", Map.of("msgtype", "m.image", "body", body, "url", mxcUrl,
                "info", Map.of("mimetype", mimetype)));
    }

    @Override
    public String sendContent(String room, String type, Map<String, ?> content) {
        ObjectNode c = Json.MAPPER.valueToTree(content);
        return refusing(() -> s.rooms().sendEvent(requester(), roomId(room), type, c, ts));
    }

    @Override
    public String setState(String room, String type, String stateKey, Map<String, ?> content) {
        ObjectNode c = Json.MAPPER.valueToTree(content);
        return refusing(() -> s.rooms().setState(requester(), roomId(room), type, stateKey, c, ts));
    }

    /**
     * Creates an empty room for a scene's history as this user, the creator of its aliases
     * ({@link RoomService#importRoom}); {@link #importEvent} replays the events into it.
     */
    public void importRoom(String roomId, String version, List<String> aliases, boolean published) {
        refusing(() -> model.write(() -> {
            s.rooms().importRoom(requester(), roomId, version, aliases, published);
            return null;
        }));
    }

    /** Appends one event of a scene's history as this user, keeping its id and timestamp (null: new ones). */
    public String importEvent(String roomId, String eventId, String type, String stateKey, Map<String, ?> content,
                              Long originServerTs) {
        ObjectNode c = Json.MAPPER.valueToTree(content);
        return refusing(() -> model.write(() -> {
            ensure();
            return s.rooms().importEvent(roomId, eventId, userId, type, stateKey, c, originServerTs).eventId();
        }));
    }

    @Override
    public String redact(String room, String eventId, String reason) {
        // The same redaction path as PUT /redact: a m.room.redaction event through the one append path.
        return refusing(() -> new Redactions(model).redact(requester(), roomId(room), eventId, reason, null,
                "dsl-redact|" + userId + "|" + eventId + "|" + model.ids().nonce()));
    }

    @Override
    public void typing(String room, boolean typing) {
        refusing(() -> model.write(() -> {
            String roomId = requireJoined(room);
            model.ephemeral().setTyping(roomId, userId, typing, 30_000);
            return null;
        }));
    }

    @Override
    public void receipt(String room, String eventId) {
        refusing(() -> model.write(() -> {
            String roomId = requireJoined(room);
            model.ephemeral().putReceipt(roomId, userId, "m.read", eventId, null);
            return null;
        }));
    }

    @Override
    public void presence(String state) {
        if (!PRESENCE.contains(state)) {
            throw new IllegalArgumentException("presence must be online, offline or unavailable, not " + state);
        }
        model.ephemeral().setPresence(userId, state, null);
    }

    /** The room's id, when this user is joined to it; 403 otherwise. Caller holds the model's lock. */
    private String requireJoined(String room) {
        String roomId = roomId(room);
        Room r = model.room(roomId);
        if (r == null || !"join".equals(r.state().membership(userId))) {
            throw MatrixException.forbidden("User " + userId + " not in room " + roomId);
        }
        return roomId;
    }

    private String roomId(String roomIdOrAlias) {
        if (!roomIdOrAlias.startsWith("#")) {
            return roomIdOrAlias;
        }
        String id = model.read(() -> model.roomForAlias(roomIdOrAlias));
        if (id == null) {
            throw MatrixException.notFound("Room alias " + roomIdOrAlias + " not found");
        }
        return id;
    }

    /**
     * Runs a model operation; the HTTP API's refusal becomes the facade's, with the same status, errcode and
     * text. The one place the two meet: the control API turns it back with {@code getError()}.
     */
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

    @Override
    public dev.fakehomeserver.events.SyncFeed sync() {
        return sync(null);
    }

    @Override
    public dev.fakehomeserver.events.SyncFeed sync(String since) {
        return new DslSyncFeed(model, userId, deviceId(), since);
    }
}
