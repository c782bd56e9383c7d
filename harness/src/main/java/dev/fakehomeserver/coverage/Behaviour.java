package dev.fakehomeserver.coverage;

/**
 * The catalogue of homeserver behaviours that break appservices in production, each counted per appservice when
 * the fake makes it happen ({@link Coverage}); {@link #howTo()} says how a test makes it happen with the
 * tester's API.
 *
 * <pre>{@code
 * for (Behaviour b : hs.coverage().missing("weather")) {
 *     System.out.println(b.id() + ": " + b.title() + ". How: " + b.howTo());
 * }
 * }</pre>
 *
 * <p>Each is counted where the engine sees it happen: the pusher (transactions, retries, down and up), the
 * queries, the request journal (what the appservice asked and what it was answered), the interest router (what
 * was pushed to the appservice), and reset. The ids are stable: reports and the control API use them.
 */
public enum Behaviour {
    // ---- pushes ------------------------------------------------------------------------------------------------
    TRANSACTION_RETRIED("transaction-retried", "A transaction sent again after it failed",
            "`hs.faults().appservice(id).failTransactions(1)`, inject an event, then `clock.advance(Duration.ofSeconds(2))`"),
    APPSERVICE_DOWN_AND_RECOVERED("appservice-down-and-recovered", "The appservice marked down, then up again",
            "`hs.faults().appservice(id).markDown()`, inject an event, `markUp()`, then `hs.retryAppserviceNow(id)`"),
    DUPLICATE_TXN_ID("duplicate-txn-id", "A txnId the appservice had already received, sent again",
            "`hs.faults().appservice(id).loseAnswers(1)`: the push arrives, its answer is lost, the retry has the same txnId"),
    BATCH("batch-of-events", "A transaction of more than one event",
            "`hs.faults().appservice(id).pausePushes()`, inject two events, then `resumePushes()`"),
    FULL_TRANSACTION("hundred-event-transaction", "A transaction of 100 events, the most one carries",
            "`pausePushes()`, inject 100 events or more, then `resumePushes()`"),
    EPHEMERAL("ephemeral-pushed", "Typing, a receipt or presence pushed",
            "`receive_ephemeral: true` in the registration, then `hs.user(\"@alice:test\").typing(room, true)`"),
    // ---- queries ----------------------------------------------------------------------------------------------
    USER_QUERY("user-query", "The homeserver asked whether a user of its namespace exists",
            "invite a user of the namespace nobody registered yet: `alice.invite(room, \"@weather_oslo:test\")`"),
    ALIAS_QUERY("alias-query", "An alias query answered with a room the appservice created",
            "look up an alias of its namespace over HTTP (`GET /directory/room/%23weather_lyon:test`) or `alice.join(\"#weather_lyon:test\")`"),
    THIRD_PARTY("third-party-lookup", "A third-party protocol or lookup asked of the appservice",
            "`GET /_matrix/client/v3/thirdparty/protocol/{protocol}` with a user's access token"),
    PING("ping", "A ping asked of the appservice",
            "the appservice calls `POST /_matrix/client/v1/appservice/{id}/ping` with its as_token"),
    WRONG_HS_TOKEN("wrong-hs-token", "A push with a wrong or missing hs_token presented to the appservice",
            "`AppserviceConformance.of(hs, id).run()` (its auth checks), or a forged push then `hs.recordBehaviour(id, Behaviour.WRONG_HS_TOKEN)`"),
    // ---- what the appservice asked, and what it was answered -----------------------------------------------------
    RATE_LIMITED_RETRIED("rate-limited-retried", "A 429 with retry_after_ms, and the same request sent again",
            "`hs.faults().on(\"PUT\", \"/rooms/*/send/*\").times(1).respondLimitExceeded(20)`; the appservice waits and retries"),
    EXCLUSIVE_REFUSED("exclusive-refused", "A request refused with M_EXCLUSIVE",
            "the appservice registers a user outside its exclusive namespace (`hs.allowViolation(\"M_EXCLUSIVE\")`)"),
    FORBIDDEN_POWER("forbidden-by-power", "A request refused with M_FORBIDDEN for too low a power level",
            "a room whose power levels leave its users at 0, then the appservice sets its name or kicks someone"),
    MASQUERADE("masquerade", "A request acting as one of its users with ?user_id=",
            "the appservice sends as a ghost: `PUT /rooms/{room}/send/m.room.message/{txn}?user_id=@weather_paris:test`"),
    TIMESTAMP_MASSAGING("timestamp-massaging", "An event sent with ?ts= (timestamp massaging, as bridges backfill)",
            "the appservice sends with `?user_id=...&ts=1700000000000`"),
    GHOST_REGISTERED("ghost-registered", "A user of its namespace registered with m.login.application_service",
            "the appservice registers a ghost (`POST /register` with `type: m.login.application_service`)"),
    GHOST_ALREADY_REGISTERED("ghost-already-registered", "A registration answered M_USER_IN_USE (a restart's \"ensure registered\")",
            "the appservice registers the same ghost twice"),
    MEDIA_UPLOAD("media-upload", "Media uploaded by the appservice",
            "the appservice calls `POST /_matrix/media/v3/upload` (an avatar, an image from the remote side)"),
    MEDIA_DOWNLOAD("media-download", "Media downloaded by the appservice",
            "the appservice calls `GET /_matrix/client/v1/media/download/{server}/{id}` (an image sent from Matrix)"),
    // ---- what was pushed to the appservice -----------------------------------------------------------------------
    REMOTE_USER_EVENT("remote-user-event", "An event from a user of another server pushed",
            "`hs.user(\"@bob:elsewhere\").join(room)`, then `.send(room, \"hi\")`"),
    GHOST_INVITED("ghost-invited", "One of its users invited",
            "`alice.invite(room, \"@weather_paris:test\")`"),
    GHOST_KICKED("ghost-kicked", "One of its users kicked",
            "`alice.kick(room, \"@weather_paris:test\", \"bye\")`"),
    GHOST_BANNED("ghost-banned", "One of its users banned",
            "`alice.ban(room, \"@weather_paris:test\", \"spam\")`"),
    GHOST_LEFT("ghost-left", "One of its users left a room",
            "`hs.user(\"@weather_paris:test\").leave(room)`, or the appservice makes it leave"),
    REDACTION("redaction", "A redaction pushed",
            "`alice.redact(room, eventId, \"oops\")` of a message the appservice bridged"),
    EDIT("edit", "An edit (an m.replace relation) pushed",
            "`alice.sendContent(room, \"m.room.message\", Map.of(\"m.relates_to\", Map.of(\"rel_type\", \"m.replace\", \"event_id\", id), ...))`"),
    ROOM_UPGRADE_FOLLOWED("room-upgrade-followed", "One of its users joined the replacement of an upgraded room",
            "upgrade a room it is in (`POST /rooms/{room}/upgrade`), then the appservice joins the new room"),
    // ---- the test's own lifecycle --------------------------------------------------------------------------------
    RESET("reset-between-tests", "The homeserver reset while the appservice ran (the extension does it between tests)",
            "two tests in one class with `@ExtendWith(FakeHomeserver.class)`, or `hs.reset()`");

    private final String id;
    private final String title;
    private final String howTo;

    Behaviour(String id, String title, String howTo) {
        this.id = id;
        this.title = title;
        this.howTo = howTo;
    }

    /** The stable id, such as {@code transaction-retried}, used by reports and the control API. */
    public String id() {
        return id;
    }

    /** What happened, in a few words. */
    public String title() {
        return title;
    }

    /** How a test makes it happen with the tester's API, in one line (Markdown, code in backticks). */
    public String howTo() {
        return howTo;
    }

    /**
     * The behaviour with this id.
     *
     * @throws IllegalArgumentException naming the ids there are
     */
    public static Behaviour byId(String id) {
        for (Behaviour b : values()) {
            if (b.id.equals(id)) {
                return b;
            }
        }
        StringBuilder ids = new StringBuilder();
        for (Behaviour b : values()) {
            ids.append(ids.length() == 0 ? "" : ", ").append(b.id);
        }
        throw new IllegalArgumentException("No behaviour '" + id + "'; there are: " + ids);
    }
}
