package dev.fakehomeserver.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A fake homeserver with the recorded conversation's {@code weather} appservice (server name {@code test}), a
 * real HTTP client and shortcuts for the setup steps the client-API tests share.
 */
final class ClientApiFixture implements AutoCloseable {
    static final String V3 = "/_matrix/client/v3";
    static final String AS_TYPE = "m.login.application_service";

    final Registration weather;
    final Homeserver hs;
    final TestClient c;
    final String as;

    private ClientApiFixture(Registration weather, UnaryOperator<HomeserverBuilder> configure) {
        this.weather = weather;
        this.hs = configure.apply(Homeserver.builder().registration(weather)).start();
        this.c = new TestClient(hs.url());
        this.as = weather.asToken();
    }

    static Registration weatherRegistration() {
        return Registration.builder("weather").url("http://127.0.0.1:9").senderLocalpart("weatherbot")
                .rateLimited(false).users("@weather_.*:test", true).aliases("#weather_.*:test", true).build();
    }

    static ClientApiFixture start() {
        return new ClientApiFixture(weatherRegistration(), b -> b);
    }

    static ClientApiFixture start(Registration registration, UnaryOperator<HomeserverBuilder> configure) {
        return new ClientApiFixture(registration, configure);
    }

    static String enc(String segment) {
        return TestClient.enc(segment);
    }

    /** Registers an ordinary user with the dummy stage; returns its access token. */
    String user(String localpart) {
        Reply r = c.post(V3 + "/register").json(Map.of("username", localpart, "password", "pw-" + localpart,
                "auth", Map.of("type", "m.login.dummy"))).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("access_token");
    }

    /** Registers an appservice user; returns its full user id. */
    String ghost(String localpart) {
        Reply r = c.post(V3 + "/register").token(as).json(Map.of("type", AS_TYPE, "username", localpart)).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("user_id");
    }

    /** Creates a room with a user token; returns its id. */
    String room(String token, Map<String, ?> body) {
        Reply r = c.post(V3 + "/createRoom").token(token).json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("room_id");
    }

    /** Creates a room as an appservice user; returns its id. */
    String roomAs(String userId, Map<String, ?> body) {
        Reply r = c.post(V3 + "/createRoom").token(as).asUser(userId).json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("room_id");
    }

    /** Joins a room (id or alias) with a user token, asserting success. */
    void join(String token, String roomIdOrAlias) {
        Reply r = c.post(V3 + "/join/" + enc(roomIdOrAlias)).token(token).json(Map.of()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Joins a room as an appservice user, asserting success. */
    void joinAs(String userId, String roomId) {
        Reply r = c.post(V3 + "/join/" + enc(roomId)).token(as).asUser(userId).json(Map.of()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Asserts a Matrix error answer; a null {@code error} leaves the message unchecked. */
    static void assertError(Reply r, int status, String errcode, String error) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.errcode()).isEqualTo(errcode);
        if (error != null) {
            assertThat(r.error()).isEqualTo(error);
        }
    }

    static String rooms(String roomId) {
        return V3 + "/rooms/" + enc(roomId);
    }

    @Override
    public void close() {
        hs.close();
    }
}
