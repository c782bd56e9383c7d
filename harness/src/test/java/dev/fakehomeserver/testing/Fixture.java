package dev.fakehomeserver.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.internal.engine.Engine;
import dev.fakehomeserver.internal.model.Options;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running homeserver (and its engine) with a clock the test turns by hand, the "weather" appservice, and helpers for the usual
 * steps (register, create a room, send). Everything goes over real HTTP through {@link TestClient}.
 */
public final class Fixture implements AutoCloseable {
    public static final long T0 = 1_700_000_000_000L;
    public final AtomicLong clock = new AtomicLong(T0);
    public final Registration reg;
    public final Homeserver hs;
    public final Engine core;
    public final TestClient c;

    private Fixture(Options options, boolean rateLimited) {
        this.reg = Registration.builder("weather").senderLocalpart("weatherbot").rateLimited(rateLimited)
                .users("@weather_.*:test", true).aliases("#weather_.*:test", true).build();
        this.hs = Homeserver.builder().registration(reg).clock(new HandTurnedClock(clock))
                .openRegistration(options.openRegistration())
                .requireExclusiveUserNamespace(options.requireExclusiveUserNamespace())
                .checkNamespaceConflicts(options.checkNamespaceConflicts()).maxEventBytes(options.maxEventBytes())
                .maxUploadBytes(options.maxUploadBytes()).rateLimiting(options.messageRateLimit()).start();
        this.core = CoreAccess.core(hs);
        this.c = new TestClient(core.url());
    }

    public static Fixture start() {
        return new Fixture(Options.defaults(), true);
    }

    public static Fixture start(Options options, boolean appserviceRateLimited) {
        return new Fixture(options, appserviceRateLimited);
    }

    public String asToken() {
        return reg.asToken();
    }

    /** Registers an ordinary user with password {@code pw}; returns its access token. */
    public String register(String localpart) {
        var r = c.post("/_matrix/client/v3/register").json(Map.of("username", localpart, "password", "pw",
                "auth", Map.of("type", "m.login.dummy"))).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("access_token");
    }

    /** Registers a ghost of the appservice; returns its user id. */
    public String ghost(String localpart) {
        var r = c.post("/_matrix/client/v3/register").token(asToken())
                .json(Map.of("type", "m.login.application_service", "username", localpart, "inhibit_login", true))
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("user_id");
    }

    public String createRoom(String token, Map<String, ?> body) {
        var r = c.post("/_matrix/client/v3/createRoom").token(token).json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("room_id");
    }

    public String createPublicRoom(String token) {
        return createRoom(token, Map.of("preset", "public_chat"));
    }

    public void join(String token, String roomId) {
        var r = c.post("/_matrix/client/v3/join/" + TestClient.enc(roomId)).token(token).json(Map.of()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private int txn;

    public String send(String token, String roomId, String body) {
        return send(token, roomId, "m.room.message", Map.of("msgtype", "m.text", "body", body));
    }

    public String send(String token, String roomId, String type, Map<String, ?> content) {
        var r = c.put(room(roomId) + "/send/" + type + "/fx" + (++txn)).token(token).json(content).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("event_id");
    }

    /** {@code /_matrix/client/v3/rooms/<encoded id>}. */
    public static String room(String roomId) {
        return "/_matrix/client/v3/rooms/" + TestClient.enc(roomId);
    }

    /** The bodies of the text messages in a chunk, in chunk order. */
    public static List<String> bodies(JsonNode chunk) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : chunk) {
            if (e.path("type").asText().equals("m.room.message")) {
                out.add(e.path("content").path("body").asText());
            }
        }
        return out;
    }

    @Override
    public void close() {
        hs.close();
    }

    /** A clock that reads the fixture's counter: it moves only when the test sets it. */
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
