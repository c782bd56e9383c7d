package dev.fakehomeserver.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.TestAccess;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The harness tests' one fixture over the facade: a {@link Homeserver} with the {@code weather} appservice
 * ({@link #weatherRegistration()}), a clock the test turns by hand, a real HTTP client, and shortcuts for the
 * setup steps the client-API tests share (register, create a room, join, send), each asserting success.
 *
 * <pre>{@code
 * @AutoClose Fixture fx = Fixture.start();
 * String alice = fx.register("alice");
 * String room = fx.createPublicRoom(alice);
 * fx.send(alice, room, "hello");
 * }</pre>
 */
public final class Fixture implements AutoCloseable {
    public static final long T0 = 1_700_000_000_000L;
    public static final String V3 = "/_matrix/client/v3";
    public static final String AS_TYPE = "m.login.application_service";

    /** The time of the server's clock: it moves only when the test changes it. */
    public final AtomicLong clock = new AtomicLong(T0);
    public final Registration weather;
    public final Homeserver hs;
    public final TestClient c;
    /** The weather appservice's as_token. */
    public final String as;
    private int txn;

    private Fixture(Registration weather, UnaryOperator<HomeserverBuilder> configure) {
        this.weather = weather;
        this.hs = configure.apply(Homeserver.builder().registration(weather).clock(new HandTurnedClock(clock)))
                .start();
        this.c = new TestClient(hs.url());
        this.as = weather.asToken();
    }

    /**
     * The weather registration of {@link TestRegistrations}, pointing at a port nobody listens on (pushes fail
     * at once) and not rate limited.
     */
    public static Registration weatherRegistration() {
        return TestRegistrations.weatherBuilder().url("http://127.0.0.1:9").rateLimited(false).build();
    }

    public static Fixture start() {
        return start(weatherRegistration(), b -> b);
    }

    /** With the builder adjusted, such as {@code b -> b.maxUploadBytes(1024)}. */
    public static Fixture start(UnaryOperator<HomeserverBuilder> configure) {
        return start(weatherRegistration(), configure);
    }

    public static Fixture start(Registration registration, UnaryOperator<HomeserverBuilder> configure) {
        return new Fixture(registration, configure);
    }

    /** The model behind the facade, for the white-box tests that read it. */
    public HomeserverModel model() {
        return TestAccess.model(hs);
    }

    /** Registers an ordinary user with the dummy stage and password {@code pw-<localpart>}; returns its token. */
    public String register(String localpart) {
        Reply r = c.post(V3 + "/register").json(Map.of("username", localpart, "password", "pw-" + localpart,
                "auth", Map.of("type", "m.login.dummy"))).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("access_token");
    }

    /** Registers a ghost of the appservice without logging it in; returns its user id. */
    public String ghost(String localpart) {
        Reply r = c.post(V3 + "/register").token(as)
                .json(Map.of("type", AS_TYPE, "username", localpart, "inhibit_login", true)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("user_id");
    }

    /** Creates a room with a user token; returns its id. */
    public String createRoom(String token, Map<String, ?> body) {
        Reply r = c.post(V3 + "/createRoom").token(token).json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("room_id");
    }

    public String createPublicRoom(String token) {
        return createRoom(token, Map.of("preset", "public_chat"));
    }

    /** Creates a room as an appservice user; returns its id. */
    public String createRoomAs(String userId, Map<String, ?> body) {
        Reply r = c.post(V3 + "/createRoom").token(as).asUser(userId).json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("room_id");
    }

    /** Joins a room (id or alias) with a user token. */
    public void join(String token, String roomIdOrAlias) {
        Reply r = c.post(V3 + "/join/" + enc(roomIdOrAlias)).token(token).json(Map.of()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Joins a room as an appservice user. */
    public void joinAs(String userId, String roomId) {
        Reply r = c.post(V3 + "/join/" + enc(roomId)).token(as).asUser(userId).json(Map.of()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    public String send(String token, String roomId, String body) {
        return send(token, roomId, "m.room.message", Map.of("msgtype", "m.text", "body", body));
    }

    public String send(String token, String roomId, String type, Map<String, ?> content) {
        Reply r = c.put(rooms(roomId) + "/send/" + type + "/fx" + (++txn)).token(token).json(content).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("event_id");
    }

    public static String enc(String segment) {
        return TestClient.enc(segment);
    }

    /** {@code /_matrix/client/v3/rooms/<encoded id>}. */
    public static String rooms(String roomId) {
        return V3 + "/rooms/" + enc(roomId);
    }

    /** The bodies of the text messages in a chunk, in chunk order. */
    public static List<String> bodies(JsonNode chunk) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : chunk) {
            if (e.path("type").asText().equals("m.room.message")) {
                out.add(e.path("content").path("body").asText());
            }
        }
        return out;
    }

    /** Asserts a Matrix error answer; a null {@code error} leaves the message unchecked. */
    public static void assertError(Reply r, int status, String errcode, String error) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.errcode()).isEqualTo(errcode);
        if (error != null) {
            assertThat(r.error()).isEqualTo(error);
        }
    }

    @Override
    public void close() {
        hs.close();
    }

    /** A clock that reads the fixture's counter. */
    private static final class HandTurnedClock extends Clock {
        private final AtomicLong millis;

        HandTurnedClock(AtomicLong millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
