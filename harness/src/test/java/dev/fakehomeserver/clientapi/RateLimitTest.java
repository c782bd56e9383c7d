package dev.fakehomeserver.clientapi;

import static dev.fakehomeserver.testing.Fixture.rooms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.RateLimit;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.Fixture;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The message limiter, driven by the fixture's hand-turned clock: a burst passes, the next one is 429. */
class RateLimitTest {
    /** The fixture with the limiter on; {@code appserviceRateLimited} is the registration's rate_limited. */
    private static Fixture limited(RateLimit limit, boolean appserviceRateLimited) {
        return Fixture.start(Fixture.weatherRegistration().toBuilder().rateLimited(appserviceRateLimited).build(),
                b -> b.rateLimiting(limit));
    }

    private static TestClient.Reply send(Fixture fx, String roomId, String token, String asUser, String txn) {
        var req = fx.c.put(rooms(roomId) + "/send/m.room.message/" + txn).token(token)
                .json(Map.of("msgtype", "m.text", "body", txn));
        return (asUser == null ? req : req.asUser(asUser)).send();
    }

    @Test
    void an_ordinary_user_gets_429_M_LIMIT_EXCEEDED_after_the_burst() {
        try (Fixture fx = limited(RateLimit.of(1, 3), true)) {
            String alice = fx.register("alice");
            String roomId = fx.createPublicRoom(alice);
            for (int i = 0; i < 3; i++) {
                assertThat(send(fx, roomId, alice, null, "t" + i).status()).isEqualTo(200);
            }
            var r = send(fx, roomId, alice, null, "t3");
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
            assertThat(r.json().path("retry_after_ms").asLong()).isEqualTo(1000);
            assertThat(r.retryAfter()).isEqualTo("1");
        }
    }

    @Test
    void the_bucket_drains_with_the_model_clock() {
        try (Fixture fx = limited(RateLimit.of(1, 1), true)) {
            String alice = fx.register("alice");
            String roomId = fx.createPublicRoom(alice);
            fx.clock.addAndGet(60_000);
            assertThat(send(fx, roomId, alice, null, "a").status()).isEqualTo(200);
            assertThat(send(fx, roomId, alice, null, "b").status()).isEqualTo(429);
            fx.clock.addAndGet(1000);
            assertThat(send(fx, roomId, alice, null, "c").status()).isEqualTo(200);
        }
    }

    @Test
    void a_retried_transaction_is_answered_not_limited() {
        try (Fixture fx = limited(RateLimit.of(1, 1), true)) {
            String alice = fx.register("alice");
            String roomId = fx.createPublicRoom(alice);
            fx.clock.addAndGet(60_000);
            var first = send(fx, roomId, alice, null, "same");
            var retry = send(fx, roomId, alice, null, "same");
            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.str("event_id")).isEqualTo(first.str("event_id"));
        }
    }

    @Test
    void a_masqueraded_ghost_is_limited_when_the_registration_says_rate_limited_true() {
        try (Fixture fx = limited(RateLimit.of(1, 2), true)) {
            String ghost = fx.ghost("weather_g");
            String roomId = fx.createRoom(fx.as, Map.of("preset", "public_chat"));
            fx.c.post("/_matrix/client/v3/join/" + TestClient.enc(roomId)).token(fx.as).asUser(ghost)
                    .json(Map.of()).send();
            assertThat(send(fx, roomId, fx.as, ghost, "g1").status()).isEqualTo(200);
            assertThat(send(fx, roomId, fx.as, ghost, "g2").status()).isEqualTo(200);
            var r = send(fx, roomId, fx.as, ghost, "g3");
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        }
    }

    @Test
    void the_appservice_sender_is_never_limited() {
        try (Fixture fx = limited(RateLimit.of(1, 1), true)) {
            String roomId = fx.createRoom(fx.as, Map.of("preset", "public_chat"));
            for (int i = 0; i < 5; i++) {
                assertThat(send(fx, roomId, fx.as, null, "s" + i).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void rate_limited_false_exempts_masqueraded_ghosts() {
        try (Fixture fx = limited(RateLimit.of(1, 1), false)) {
            String ghost = fx.ghost("weather_g");
            String roomId = fx.createRoom(fx.as, Map.of("preset", "public_chat"));
            fx.c.post("/_matrix/client/v3/join/" + TestClient.enc(roomId)).token(fx.as).asUser(ghost)
                    .json(Map.of()).send();
            for (int i = 0; i < 5; i++) {
                assertThat(send(fx, roomId, fx.as, ghost, "g" + i).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void redactions_and_state_events_count_against_the_same_limit() {
        try (Fixture fx = limited(RateLimit.of(1, 2), true)) {
            String alice = fx.register("alice");
            String roomId = fx.createPublicRoom(alice);
            fx.clock.addAndGet(60_000);
            String ev = send(fx, roomId, alice, null, "x").str("event_id");
            var topic = fx.c.put(rooms(roomId) + "/state/m.room.topic/").token(alice).json(Map.of("topic", "t"))
                    .send();
            assertThat(topic.status()).isEqualTo(200);
            var r = fx.c.put(rooms(roomId) + "/redact/" + TestClient.enc(ev) + "/r1").token(alice).json(Map.of())
                    .send();
            assertThat(r.status()).isEqualTo(429);
        }
    }

    @Test
    void is_off_by_default_and_turned_on_by_the_builder() {
        Registration reg = Registration.builder("w").senderLocalpart("wbot").users("@w_.*:test", true).build();
        try (Homeserver hs = Homeserver.builder().registration(reg).start()) {
            TestClient c = new TestClient(hs.url());
            String roomId = c.post("/_matrix/client/v3/createRoom").token(reg.asToken()).json(Map.of()).send()
                    .str("room_id");
            String alice = c.post("/_matrix/client/v3/register").json(Map.of("username", "alice", "password", "pw",
                    "auth", Map.of("type", "m.login.dummy"))).send().str("access_token");
            String own = c.post("/_matrix/client/v3/createRoom").token(alice).json(Map.of()).send().str("room_id");
            for (int i = 0; i < 30; i++) {
                assertThat(c.put(rooms(own) + "/send/m.room.message/t" + i).token(alice).json(Map.of("msgtype", "m.text", "body", "x"))
                        .send().status()).isEqualTo(200);
            }
            assertThat(roomId).isNotNull();
        }
        // A burst of 1 draining once in 1000 s: the second send is refused whatever the machine's speed.
        try (Homeserver hs = Homeserver.builder().registration(reg).rateLimiting(RateLimit.of(0.001, 1)).start()) {
            TestClient c = new TestClient(hs.url());
            String token = c.post("/_matrix/client/v3/register").json(Map.of("username", "alice", "password", "pw",
                    "auth", Map.of("type", "m.login.dummy"))).send().str("access_token");
            var create = c.post("/_matrix/client/v3/createRoom").token(token).json(Map.of()).send();
            assertThat(create.status()).isEqualTo(200);
            var topic = c.put(rooms(create.str("room_id")) + "/state/m.room.topic/").token(token)
                    .json(Map.of("topic", "t")).send();
            var again = c.put(rooms(create.str("room_id")) + "/state/m.room.topic/").token(token)
                    .json(Map.of("topic", "u")).send();
            assertThat(topic.status()).isEqualTo(200);
            assertThat(again.status()).isEqualTo(429);
            assertThat(again.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        }
    }

    @Test
    void refuses_nonsense_limits() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.of(0, 1));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.of(1, 0));
    }
}
