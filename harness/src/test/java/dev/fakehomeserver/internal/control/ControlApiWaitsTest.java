package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.TestAccess;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.expect.Expectation;
import dev.fakehomeserver.expect.Expectations;
import dev.fakehomeserver.internal.console.ChangeWaiters;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code ?wait_ms=} forms over real HTTP: parked (the server's pending waits say so) until the expectation
 * holds, answered when a change wakes them (each asks for a minute and is answered within the seconds a future
 * get allows, so the change signal woke it, not its timer), and on timeout 408 with the failure text the same
 * expectation gives in process.
 */
class ControlApiWaitsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String LONG = "60000";
    private final ScriptedAppservice as = ScriptedAppservice.start();
    private final Homeserver hs = Homeserver.builder().registration(TestRegistrations.weather(as.url()))
            .controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
        as.close();
    }

    private record Answer(int status, JsonNode json) {
        String error() {
            return json.path("error").asText();
        }
    }

    /** Sends a control GET without waiting for its answer. */
    private CompletableFuture<Answer> getAsync(String pathAndQuery) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(hs.url() + "/_fakehs/v1" + pathAndQuery))
                .header("Authorization", "Bearer t").timeout(Duration.ofSeconds(90)).GET().build();
        return HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            try {
                return new Answer(r.statusCode(), MAPPER.readTree(r.body()));
            } catch (IOException e) {
                throw new IllegalStateException(new String(r.body()), e);
            }
        });
    }

    private Answer get(String pathAndQuery) throws Exception {
        return getAsync(pathAndQuery).get(30, TimeUnit.SECONDS);
    }

    /** Waits (awaitility, no sleep) until the server has parked this many waits. */
    private void parked(int n) {
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).until(() -> TestAccess.pendingWaits(hs) == n);
    }

    private static Answer within(CompletableFuture<Answer> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static String q(String v) {
        return TestClient.enc(v);
    }

    @Test
    void answers_a_timeline_wait_as_soon_as_the_message_from_the_sender_arrives() throws Exception {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().alias("lobby").members("@bob:test"));
        CompletableFuture<Answer> f = getAsync("/rooms/" + q("#lobby:test") + "/timeline?limit=1&wait_ms=" + LONG
                + "&sender=" + q("@bob:test") + "&body=" + q("Paris: sunny"));
        parked(1);
        hs.user("@bob:test").send(room, "Paris: rainy");   // a near miss changes the room but does not answer
        hs.user("@alice:test").send(room, "Paris: sunny");
        assertThat(f).isNotDone();
        hs.user("@bob:test").send(room, "Paris: sunny");
        Answer a = within(f);
        assertThat(a.status()).as(a.json().toString()).isEqualTo(200);
        assertThat(a.json().at("/events/0/sender").asText()).isEqualTo("@bob:test");
        assertThat(a.json().at("/events/0/content/body").asText()).isEqualTo("Paris: sunny");
        assertThat(TestAccess.pendingWaits(hs)).isZero();
    }

    @Test
    void answers_a_timeline_wait_that_already_holds_at_once_and_a_body_wait_from_anyone() throws Exception {
        String room = hs.user("@alice:test").createRoom();
        hs.user("@alice:test").send(room, "hello");
        assertThat(get("/rooms/" + q(room) + "/timeline?wait_ms=0&sender=" + q("@alice:test") + "&body=hello")
                .status()).isEqualTo(200);
        assertThat(get("/rooms/" + q(room) + "/timeline?wait_ms=0&body=hello").status()).isEqualTo(200);
    }

    @Test
    void answers_a_timeline_wait_on_timeout_with_408_and_the_failure_text_of_the_expectation() throws Exception {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().members("@bob:test"));
        hs.user("@bob:test").send(room, "Paris: rainy");
        Answer a = get("/rooms/" + q(room) + "/timeline?wait_ms=150&sender=" + q("@bob:test") + "&body="
                + q("Paris: sunny"));
        assertThat(a.status()).isEqualTo(408);
        assertThat(a.json().path("errcode").asText()).isEqualTo("DEV.FAKEHOMESERVER.WAIT_TIMEOUT");
        String inProcess = Expectations.of(hs).timelineContainsMessageFrom(room, "@bob:test", "Paris: sunny")
                .await(Duration.ofMillis(150)).map(msg -> Expectation.reported(hs, msg)).orElseThrow();
        assertThat(a.error()).isEqualTo(inProcess)
                .startsWith("Expecting the timeline of room " + room + " to contain a message from @bob:test with"
                        + " body \"Paris: sunny\" (waited 150 ms)\nbut its messages from @bob:test have other bodies.")
                .contains("Near misses:");
    }

    @Test
    void answers_a_journal_wait_when_a_matching_request_is_made_and_counts_only_those_after_since() throws Exception {
        String room = hs.user("@alice:test").createRoom();
        String token = hs.user("@alice:test").accessToken();
        c.put("/_matrix/client/v3/rooms/" + q(room) + "/send/m.room.message/1").token(token)
                .json(Map.of("msgtype", "m.text", "body", "one")).send();
        long seq = hs.journal().requests().get(hs.journal().requests().size() - 1).seq();
        CompletableFuture<Answer> f = getAsync("/journal?wait_ms=" + LONG + "&method=PUT&path="
                + q("/rooms/{roomId}/send/*") + "&since=" + seq);
        parked(1);
        c.get("/_matrix/client/v3/rooms/" + q(room) + "/state").token(token).send();
        assertThat(f).isNotDone();
        c.put("/_matrix/client/v3/rooms/" + q(room) + "/send/m.room.message/2").token(token)
                .json(Map.of("msgtype", "m.text", "body", "two")).send();
        Answer a = within(f);
        assertThat(a.status()).as(a.json().toString()).isEqualTo(200);
        assertThat(a.json().get("requests")).hasSize(1);
        assertThat(a.json().at("/requests/0/request_body/body").asText()).isEqualTo("two");

        Answer late = get("/journal?wait_ms=100&method=POST&path=" + q("/createRoom"));
        assertThat(late.status()).isEqualTo(408);
        assertThat(late.error()).isEqualTo(Expectations.of(hs).journalHasRequest("POST", "/createRoom")
                .await(Duration.ofMillis(100)).map(msg -> Expectation.reported(hs, msg)).orElseThrow()).startsWith(
                "Expecting the journal to have a request POST /createRoom (waited 100 ms)\nbut it has none.");
    }

    @Test
    void answers_a_transactions_wait_once_the_appservice_acknowledged_the_event() throws Exception {
        hs.faults().appservice("weather").markDown();
        String room = hs.user("@weather_bob:test").createRoom();
        String eventId = hs.user("@weather_bob:test").send(room, "hello");
        CompletableFuture<Answer> byId = getAsync("/transactions?wait_ms=" + LONG + "&appservice=weather&event_id="
                + q(eventId));
        CompletableFuture<Answer> byMessage = getAsync("/transactions?wait_ms=" + LONG + "&appservice=weather&kind="
                + "transaction&sender=" + q("@weather_bob:test") + "&body=hello");
        parked(2);
        hs.faults().appservice("weather").markUp();
        hs.retryAppserviceNow("weather");
        for (Answer a : List.of(within(byId), within(byMessage))) {
            assertThat(a.status()).as(a.json().toString()).isEqualTo(200);
            List<String> acked = new ArrayList<>();
            a.json().get("transactions").forEach(t -> {
                if (t.get("succeeded").asBoolean()) {
                    t.get("event_ids").forEach(e -> acked.add(e.asText()));
                }
            });
            assertThat(acked).contains(eventId);
        }
    }

    @Test
    void answers_a_transactions_wait_on_timeout_with_the_failure_text_of_the_expectation() throws Exception {
        hs.faults().appservice("weather").markDown();
        String room = hs.user("@weather_bob:test").createRoom();
        String eventId = hs.user("@weather_bob:test").send(room, "hello");
        Answer a = get("/transactions?wait_ms=100&appservice=weather&event_id=" + q(eventId));
        assertThat(a.status()).isEqualTo(408);
        assertThat(a.error()).isEqualTo(Expectations.of(hs).appserviceReceivedEvent("weather", eventId)
                .await(Duration.ofMillis(100)).map(msg -> Expectation.reported(hs, msg)).orElseThrow())
                .startsWith("Expecting appservice weather to have received event " + eventId + " (waited 100 ms)\n");
        Answer unknown = get("/transactions?wait_ms=100&appservice=nope&event_id=x");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).contains("weather");
    }

    @Test
    void answers_a_status_wait_once_the_appservice_is_idle_up_or_down() throws Exception {
        hs.faults().appservice("weather").markDown();
        String room = hs.user("@weather_bob:test").createRoom();
        hs.user("@weather_bob:test").send(room, "hello");
        Answer down = get("/appservices/weather/status?wait_ms=" + LONG + "&until=down");
        assertThat(down.status()).as(down.json().toString()).isEqualTo(200);
        assertThat(down.json().get("down").asBoolean()).isTrue();

        CompletableFuture<Answer> idle = getAsync("/appservices/weather/status?wait_ms=" + LONG + "&until=idle");
        CompletableFuture<Answer> up = getAsync("/appservices/weather/status?wait_ms=" + LONG + "&until=up");
        parked(2);
        hs.faults().appservice("weather").markUp();
        hs.retryAppserviceNow("weather");
        Answer a = within(idle);
        assertThat(a.status()).as(a.json().toString()).isEqualTo(200);
        assertThat(a.json().get("in_flight").asBoolean()).isFalse();
        assertThat(a.json().get("queued_transactions").asInt()).isZero();
        assertThat(within(up).json().get("down").asBoolean()).isFalse();
    }

    @Test
    void answers_a_status_wait_on_timeout_with_the_failure_text_of_the_expectation() throws Exception {
        hs.faults().appservice("weather").markDown();
        String room = hs.user("@weather_bob:test").createRoom();
        hs.user("@weather_bob:test").send(room, "hello");
        Answer a = get("/appservices/weather/status?wait_ms=100&until=idle");
        assertThat(a.status()).isEqualTo(408);
        assertThat(a.error()).isEqualTo(Expectations.of(hs).appserviceIsIdle("weather")
                .await(Duration.ofMillis(100)).map(msg -> Expectation.reported(hs, msg)).orElseThrow())
                .startsWith("Expecting appservice weather to be idle (waited 100 ms)\nbut it is not: ");
    }

    @Test
    void refuses_a_wait_on_an_appservice_removed_meanwhile_as_it_would_at_once() throws Exception {
        hs.faults().appservice("weather").markDown();
        String room = hs.user("@weather_bob:test").createRoom();
        hs.user("@weather_bob:test").send(room, "hello");
        CompletableFuture<Answer> idle = getAsync("/appservices/weather/status?wait_ms=" + LONG + "&until=idle");
        parked(1);
        hs.removeRegistration("weather");
        Answer a = within(idle);
        assertThat(a.status()).as(a.json().toString()).isEqualTo(400);
        assertThat(a.json().path("errcode").asText()).isEqualTo("M_INVALID_PARAM");
        assertThat(a.error()).contains("weather");
    }

    @Test
    void parked_waits_hold_no_thread_so_the_server_keeps_answering_with_its_one_worker() throws Exception {
        String room = hs.user("@alice:test").createRoom();
        List<CompletableFuture<Answer>> waits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waits.add(getAsync("/rooms/" + q(room) + "/timeline?wait_ms=" + LONG + "&body=go"));
        }
        parked(20);
        assertThat(c.get("/_fakehs/v1/health").send().status()).isEqualTo(200);
        assertThat(c.get("/_matrix/client/v3/rooms/" + q(room) + "/state").token(hs.user("@alice:test")
                .accessToken()).send().status()).isEqualTo(200);
        hs.user("@alice:test").send(room, "go");
        for (CompletableFuture<Answer> w : waits) {
            assertThat(within(w).status()).isEqualTo(200);
        }
    }

    @Test
    void refuses_a_wait_too_long_a_condition_without_a_wait_and_a_wait_beyond_the_cap() throws Exception {
        String room = hs.user("@alice:test").createRoom();
        Answer tooLong = get("/rooms/" + q(room) + "/timeline?wait_ms=60001&body=x");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).contains("60000");
        Answer noWait = get("/rooms/" + q(room) + "/timeline?body=x");
        assertThat(noWait.status()).isEqualTo(400);
        assertThat(noWait.error()).contains("wait_ms");
        assertThat(get("/appservices/weather/status?wait_ms=10&until=sideways").status()).isEqualTo(400);
        assertThat(get("/journal?wait_ms=10").json().path("errcode").asText()).isEqualTo("M_MISSING_PARAM");

        List<CompletableFuture<Boolean>> filling = new ArrayList<>();
        for (int i = 0; i < ChangeWaiters.MAX_WAITERS; i++) {
            filling.add(hs.waitUntilAsync(() -> false, Duration.ofMinutes(1)));
        }
        Answer full = get("/rooms/" + q(room) + "/timeline?wait_ms=1000&body=x");
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.json().path("errcode").asText()).isEqualTo("M_LIMIT_EXCEEDED");
        assertThatThrownBy(() -> hs.waitUntilAsync(() -> false, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalStateException.class);
        hs.close();
        for (CompletableFuture<Boolean> f : filling) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isFalse();
        }
    }
}
