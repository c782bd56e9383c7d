package dev.fakehomeserver.events;

import dev.fakehomeserver.view.UserView;
import java.util.Map;

/**
 * A user a test acts as: local ({@code @alice:test}) or remote ({@code @bob:elsewhere}, appended directly, without
 * federation). Every method builds the same draft an HTTP request would and goes through the server's one append
 * path, so the room rules apply (a remote user joins a public room, or after an invite) and the appservices see the
 * events exactly as if a client had sent them.
 *
 * <pre>{@code
 * Actor alice = hs.user("@alice:test");
 * String room = alice.createRoom(RoomOptions.create().name("Lobby").alias("lobby").preset(RoomOptions.PUBLIC_CHAT));
 * hs.user("@bob:elsewhere").join("#lobby:test");
 * String eventId = alice.send(room, "!weather Paris");
 * // or call the client-server API yourself, as alice:
 * http.send(request.header("Authorization", "Bearer " + alice.accessToken()));
 * }</pre>
 *
 * <p>Rooms are named by id or by local alias everywhere. A refusal (not in the room, no power, ...) throws
 * {@link InjectionRefusedException} with the errcode the HTTP API would have answered. Actors are cheap handles:
 * after {@code hs.reset()} the same actor recreates its user on first use.
 */
public interface Actor {
    /** The user id. */
    String userId();

    /**
     * An access token of a logged-in device of this local user, created on first use (and again after a reset).
     *
     * @throws IllegalStateException for a remote user, who cannot log in here
     */
    String accessToken();

    /** The device id behind {@link #accessToken()}. */
    String deviceId();

    /** A snapshot of the user's profile and devices. */
    UserView view();

    /** Sets the display name (profile only; existing member events are not rewritten). */
    Actor displayName(String name);

    /** Sets the avatar url (profile only). */
    Actor avatarUrl(String mxcUrl);

    /** Creates a private room with the defaults of {@code POST /createRoom}; returns its id. */
    String createRoom();

    /** Creates a room with these options; returns its id. */
    String createRoom(RoomOptions options);

    /** Joins a room by id or alias (public rooms, or after an invite); returns the room id. */
    String join(String roomIdOrAlias);

    /** Invites a user. */
    void invite(String roomIdOrAlias, String userId);

    /** Leaves a room (also rejects an invite). */
    void leave(String roomIdOrAlias);

    /** Kicks a user (needs the kick power level). */
    void kick(String roomIdOrAlias, String userId, String reason);

    /** Bans a user (needs the ban power level). */
    void ban(String roomIdOrAlias, String userId, String reason);

    /** Sends an {@code m.text} message; returns the event id. */
    String send(String roomIdOrAlias, String text);

    /** Sends an {@code m.notice} message; returns the event id. */
    String notice(String roomIdOrAlias, String text);

    /** Sends an {@code m.emote} message; returns the event id. */
    String emote(String roomIdOrAlias, String text);

    /** Sends an {@code m.image} message pointing at {@code mxc://server/id}; returns the event id. */
    String image(String roomIdOrAlias, String mxcUrl, String body, String mimetype);

    /** Sends a message-like event of any type; returns the event id. */
    String sendContent(String roomIdOrAlias, String type, Map<String, ?> content);

    /** Sets a state event; returns the event id. */
    String setState(String roomIdOrAlias, String type, String stateKey, Map<String, ?> content);

    /** Redacts an event, as {@code PUT /rooms/{id}/redact} would; returns the redaction's event id. */
    String redact(String roomIdOrAlias, String eventId, String reason);

    /** Starts or stops typing (30 s timeout); the user must be joined. */
    void typing(String roomIdOrAlias, boolean typing);

    /** Sends an {@code m.read} receipt; the user must be joined. */
    void receipt(String roomIdOrAlias, String eventId);

    /** Sets presence ({@code online}, {@code unavailable}, {@code offline}). */
    void presence(String state);

    /**
     * This user's sync stream on the actor's device, from an initial sync: what a syncing client sees (see
     * {@link SyncFeed}).
     */
    SyncFeed sync();

    /**
     * This user's sync stream from a {@code next_batch} token a previous sync handed out.
     *
     * @throws IllegalArgumentException when {@code since} is not a sync token
     */
    SyncFeed sync(String since);
}
