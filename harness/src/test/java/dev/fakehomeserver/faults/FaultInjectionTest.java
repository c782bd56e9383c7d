package dev.fakehomeserver.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
    private Homeserver hs;
    private TestClient client;
    private String room;
    private String alice;

    @BeforeEach
    void start() {
        hs = Homeserver.builder().start();
        client = new TestClient(hs.url());
        room = hs.user("@alice:test").createRoom();
        alice = hs.user("@alice:test").accessToken();
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    private TestClient.Reply send(String txn) {
        return client.put("/_matrix/client/v3/rooms/" + TestClient.enc(room) + "/send/m.room.message/" + txn)
                .token(alice).json(Map.of("msgtype", "m.text", "body", txn)).send();
    }

    @Test
    void answers_limit_exceeded_twice_for_the_user_then_lets_the_send_through() {
        FaultRule rule = hs.faults().on("PUT", "/rooms/{roomId}/send/*").forUser("@alice:test").times(2)
                .respondLimitExceeded(1500);

        var first = send("t1");
        assertThat(first.status()).isEqualTo(429);
        assertThat(first.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(first.json().path("retry_after_ms").asLong()).isEqualTo(1500);
        assertThat(first.retryAfter()).isEqualTo("2");
        assertThat(send("t2").status()).isEqualTo(429);
        assertThat(send("t3").status()).isEqualTo(200);
        assertThat(rule.hits()).isEqualTo(2);
        assertThat(rule.remaining()).isZero();
    }

    @Test
    void leaves_requests_of_other_users_and_other_paths_alone() {
        hs.faults().on("PUT", "/rooms/*/send/*").forUser("@bob:test").respond(500);
        hs.faults().on("POST", "/createRoom").respond(500);

        assertThat(send("t1").status()).isEqualTo(200);
    }

    @Test
    void matches_rules_in_order_and_answers_the_status_asked() {
        hs.faults().on("*", "/rooms/**").once().respond(503);
        hs.faults().on("PUT", "/rooms/" + room + "/send/m.room.message/*").respond(403, "M_FORBIDDEN", "nope");

        assertThat(send("t1").status()).isEqualTo(503);
        var second = send("t2");
        assertThat(second.status()).isEqualTo(403);
        assertThat(second.error()).startsWith("nope");
    }

    @Test
    void delays_a_request_and_then_answers_it_normally() {
        FaultRule rule = hs.faults().on("PUT", "/_matrix/client/v3/rooms/*/send/*").delay(Duration.ofMillis(50));

        assertThat(send("t1").status()).isEqualTo(200);
        assertThat(rule.hits()).isEqualTo(1);
        assertThat(hs.room(room).messages()).hasSize(1);
    }

    @Test
    void drops_the_connection_without_an_answer() {
        hs.faults().on("PUT", "/rooms/*/send/*").dropConnection();

        assertThatThrownBy(() -> send("t1")).isInstanceOf(RuntimeException.class);
        assertThat(hs.room(room).messages()).isEmpty();
    }

    @Test
    void clears_rules_on_reset() {
        hs.faults().on("*", "/**").respond(500);
        hs.reset();

        assertThat(hs.faults().rules()).isEmpty();
        assertThat(client.get("/_matrix/client/versions").send().status()).isEqualTo(200);
    }

    @Test
    void does_not_count_injected_failures_as_violations() {
        hs.faults().on("PUT", "/rooms/*/send/*").respond(500);
        send("t1");

        assertThat(hs.journal().requests(r -> r.status() == 500)).hasSize(1);
        assertThat(hs.violations()).isEmpty();
    }
}
