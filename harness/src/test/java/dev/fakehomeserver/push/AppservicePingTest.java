package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.ScriptedAppservice.Answer;
import dev.fakehomeserver.testing.TestClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** spec-digest §2.6 and synapse-observed §9: {@code POST /_matrix/client/v1/appservice/{id}/ping}. */
class AppservicePingTest {
    private static final String PING = "/_matrix/client/v1/appservice/weather/ping";

    @Test
    void a_ping_reaches_the_appservice_with_header_auth_only_and_answers_the_duration() {
        try (PushFixture f = new PushFixture()) {
            TestClient c = new TestClient(f.hs.url());
            var reply = c.post(PING).token(f.reg.asToken()).json(Map.of()).send();
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                        assertThat(reply.json().get("duration_ms").isIntegralNumber()).isTrue();
            assertThat(f.as.requests()).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/_matrix/app/v1/ping");
                assertThat(r.query()).isEmpty();
                assertThat(r.header("Authorization")).isEqualTo("Bearer " + f.reg.hsToken());
                assertThat(r.body()).isEqualTo("{\"transaction_id\":null}");
            });
        }
    }

    @Test
    void the_transaction_id_is_passed_through_unchecked_also_on_the_unstable_path() {
        try (PushFixture f = new PushFixture()) {
            TestClient c = new TestClient(f.hs.url());
            assertThat(c.post(PING).token(f.reg.asToken()).json("{\"transaction_id\":\"mytxn-123\"}").send().status())
                    .isEqualTo(200);
            assertThat(c.post("/_matrix/client/unstable/appservice/weather/ping").token(f.reg.asToken())
                    .json("{\"transaction_id\":5}").send().status()).isEqualTo(200);
            assertThat(f.as.requests()).extracting(ScriptedAppservice.Req::body)
                    .containsExactly("{\"transaction_id\":\"mytxn-123\"}", "{\"transaction_id\":5}");
        }
    }

    @Test
    void refuses_in_synapses_order_before_calling_the_appservice() {
        try (PushFixture f = new PushFixture()) {
            TestClient c = new TestClient(f.hs.url());
            var none = c.post(PING).json(Map.of()).send();
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.errcode()).isEqualTo("M_MISSING_TOKEN");
            var wrong = c.post(PING).token("nope").json(Map.of()).send();
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
            String aliceToken = c.post("/_matrix/client/v3/register").json(Map.of("username", "alice",
                    "password", "pw", "auth", Map.of("type", "m.login.dummy"))).send().str("access_token");
            var user = c.post(PING).token(aliceToken).json("not json").send();
            assertThat(user.status()).isEqualTo(403);
            assertThat(user.error()).isEqualTo("Only application services can use the /appservice/ping endpoint");
            var other = c.post("/_matrix/client/v1/appservice/other/ping").token(f.reg.asToken()).json("not json")
                    .send();
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.error()).isEqualTo("Mismatching application service ID in path");
            var notJson = c.post(PING).token(f.reg.asToken()).json("not json").send();
            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
            var notObject = c.post(PING).token(f.reg.asToken()).json("[1]").send();
            assertThat(notObject.errcode()).isEqualTo("M_BAD_JSON");
            f.hs.setAppserviceUrl("weather", null);
            var noUrl = c.post(PING).token(f.reg.asToken()).json("not json").send();
            assertThat(noUrl.status()).isEqualTo(400);
            assertThat(noUrl.errcode()).isEqualTo("M_URL_NOT_SET");
            assertThat(f.as.requests()).isEmpty();
        }
    }

    @Test
    void an_appservice_error_answers_502_M_BAD_STATUS_with_its_status_and_body() {
        try (PushFixture f = new PushFixture()) {
            String asBody = "{\"errcode\": \"M_UNKNOWN\", \"error\": \"simulated ping failure\"}";
            f.as.on("/ping", r -> Answer.json(500, asBody));
            var reply = new TestClient(f.hs.url()).post(PING).token(f.reg.asToken()).json(Map.of()).send();
            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.errcode()).isEqualTo("M_BAD_STATUS");
            assertThat(reply.error()).isEqualTo("HTTP 500 Internal Server Error");
            assertThat(reply.json().get("status").asInt()).isEqualTo(500);
            assertThat(reply.str("body")).isEqualTo(asBody);
        }
    }

    @Test
    void an_appservice_that_is_not_listening_answers_502_M_CONNECTION_FAILED() {
        ScriptedAppservice gone = ScriptedAppservice.start();
        gone.close();
        try (PushFixture f = new PushFixture()) {
            f.hs.setAppserviceUrl("weather", gone.url());
            var reply = new TestClient(f.hs.url()).post(PING).token(f.reg.asToken()).json(Map.of()).send();
            assertThat(reply.status()).isEqualTo(502);
            assertThat(reply.errcode()).isEqualTo("M_CONNECTION_FAILED");
            assertThat(reply.error()).isEqualTo(
                    "ConnectionRefusedError: Connection was refused by other side: 111: Connection refused.");
        }
    }

    @Test
    void an_appservice_that_does_not_answer_in_time_gives_504_M_CONNECTION_TIMEOUT() {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        try (PushFixture f = new PushFixture(r -> r, b -> b.appserviceTimeout(Duration.ofMillis(200)))) {
            f.as.on("/ping", r -> {
                TransactionBatchingTest.await(never);
                return Answer.ok();
            });
            var reply = new TestClient(f.hs.url()).post(PING).token(f.reg.asToken()).json(Map.of()).send();
            assertThat(reply.status()).isEqualTo(504);
            assertThat(reply.errcode()).isEqualTo("M_CONNECTION_TIMEOUT");
            // Synapse 1.94's words (synapse/http/client.py, _timeout_to_request_timed_out_error).
            assertThat(reply.error()).isEqualTo("Timeout waiting for response from remote server");
        } finally {
            never.countDown();
        }
    }

    @Test
    void a_successful_ping_retries_a_down_appservice_at_once() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            AtomicInteger failures = new AtomicInteger(1);
            f.as.on("/transactions/", r -> failures.getAndDecrement() > 0 ? Answer.json(503, "{}") : Answer.ok());
            String m = f.send(bob, room, "m");
            f.awaitRetryScheduled();
            assertThat(new TestClient(f.hs.url()).post(PING).token(f.reg.asToken()).json(Map.of()).send().status())
                    .isEqualTo(200);
            f.awaitIdle();
            assertThat(f.receivedEventIds()).endsWith(m, m);
        }
    }
}
