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

    /**
     * Logs a new device in, as {@code POST /login} would, and returns its session; unlike {@link #accessToken()}
     * every call makes another device.
     *
     * <pre>{@code
     * Actor.Login phone = hs.user("@alice:test").login("Alice's phone");
     * http.send(request.header("Authorization", "Bearer " + phone.accessToken()));
     * }</pre>
     *
     * @param deviceDisplayName the new device's display name, or null
     * @throws IllegalStateException for a remote user, who cannot log in here
     */
    Login login(String deviceDisplayName);

    /**
     * This actor, but whose messages and state events carry {@code originServerTs} as their timestamp instead of
     * the server clock's time (as the appservice API's {@code ?ts=} does). Membership changes, redactions,
     * typing, receipts and presence keep the clock's time.
     *
     * <pre>{@code
     * hs.user("@alice:test").at(1_700_000_000_000L).send(room, "written yesterday");
     * }</pre>
     */
    Actor at(long originServerTs);

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

    /**
     * Appends an {@code m.room.member} event about {@code target} with exactly this content, through the membership
     * path as {@link #invite} and {@link #kick} do (an invite carries stripped state, as Synapse pushes it); returns
     * the event id.
     *
     * <pre>{@code
     * alice.membership(room, "@bob:test", Map.of("membership", "invite", "reason", "come over"));
     * }</pre>
     */
    String membership(String roomIdOrAlias, String target, Map<String, ?> content);

    /** Redacts an event, as {@code PUT /rooms/{id}/redact} would; returns the redaction's event id. */
    String redact(String roomIdOrAlias, String eventId, String reason);

    /** Starts or stops typing (30 s timeout); the user must be joined. */
    void typing(String roomIdOrAlias, boolean typing);

    /** Sends an {@code m.read} receipt; the user must be joined. */
    void receipt(String roomIdOrAlias, String eventId);

    /** Sets presence ({@code online}, {@code unavailable}, {@code offline}). */
    void presence(String state);

    /**
     * A device logged in with {@link Actor#login(String)}.
     *
     * <pre>{@code
     * Actor.Login phone = hs.user("@alice:test").login(null);
     * assertThat(hs.findUser("@alice:test").orElseThrow().devices())
     *         .extracting(UserView.Device::deviceId).contains(phone.deviceId());
     * }</pre>
     *
     * @param deviceId the new device's id
     * @param accessToken its access token
     */
    record Login(String deviceId, String accessToken) {
        /** Never the token: it is a secret. */
        @Override
        public String toString() {
            return "Login[" + deviceId + "]";
        }
    }

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
