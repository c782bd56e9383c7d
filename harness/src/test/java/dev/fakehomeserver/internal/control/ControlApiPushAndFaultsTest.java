package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.testing.TestRegistrations;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control API's seams onto the pusher and the faults, over real HTTP against a real loopback appservice, on
 * the system clock as in the standalone server: the outbound journal, appservice status, forced retry,
 * appservice and client API faults, typing, receipts and presence.
 */
class ControlApiPushAndFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ScriptedAppservice as = ScriptedAppservice.start();
    private final Homeserver hs = Homeserver.builder().controlApi("t")
            .registration(TestRegistrations.weatherBuilder().url(as.url()).receiveEphemeral(true).build())
            .start();
    private final TestClient c = new TestClient(hs.url());
    private final String room = hs.user("@weather_paris:test").createRoom(RoomOptions.create()
            .preset(RoomOptions.PUBLIC_CHAT));

    @AfterEach
    void stop() {
        hs.close();
        as.close();
    }

    private JsonNode transactions(String query) {
        return c.get("/_fakehs/v1/transactions" + query).token("t").send().json().get("transactions");
    }

    private List<String> ephemeralTypes() {
        List<String> types = new ArrayList<>();
        as.transactions().forEach(t -> t.json().path("ephemeral").forEach(e -> types.add(e.path("type").asText())));
        return types;
    }

    @Test
    void lists_every_request_to_appservices_in_the_recorded_shape_with_since_and_filters() {
        await().atMost(WAIT).until(() -> !hs.transactions().records().isEmpty());
        RecordedTransaction first = hs.transactions().records().get(0);

        JsonNode all = transactions("?appservice=weather&kind=transaction");
        JsonNode t = all.get(0);
        assertThat(t.get("seq").asLong()).isEqualTo(first.seq());
        assertThat(t.get("appservice_id").asText()).isEqualTo("weather");
        assertThat(t.get("kind").asText()).isEqualTo("transaction");
        assertThat(t.get("txn_id").asText()).isEqualTo(first.txnId());
        assertThat(t.get("attempt").asInt()).isEqualTo(1);
        assertThat(t.get("event_ids")).extracting(JsonNode::asText).containsExactlyElementsOf(first.eventIds());
        assertThat(t.get("path").asText()).isEqualTo(first.path());
        assertThat(t.get("query").asText()).isEqualTo("access_token=<redacted>");
        assertThat(t.get("status").asInt()).isEqualTo(200);
        assertThat(t.get("succeeded").asBoolean()).isTrue();
        assertThat(t.get("error").isNull()).isTrue();
        assertThat(t.get("sent_at").asText()).isEqualTo(first.sentAt().toString());
        assertThat(transactions("?since=" + hs.transactions().records().get(hs.transactions().records().size() - 1)
                .seq())).isEmpty();
        assertThat(transactions("?appservice=other")).isEmpty();
        assertThat(c.get("/_fakehs/v1/transactions?kind=carrier_pigeon").token("t").send().errcode())
                .isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void an_appservice_marked_down_over_http_queues_and_a_forced_retry_delivers_once_it_is_up() {
        await().atMost(WAIT).until(() -> !hs.appserviceStatus("weather").inFlight()
                && hs.appserviceStatus("weather").queuedEvents() == 0);
        JsonNode faults = c.post("/_fakehs/v1/appservices/weather/faults").token("t").json(Map.of("down", true))
                .send().json();
        assertThat(faults.get("marked_down").asBoolean()).isTrue();

        String m = hs.user("@weather_paris:test").send(room, "while down");
        await().atMost(WAIT).until(() -> hs.appserviceStatus("weather").nextRetry() != null);
        JsonNode status = c.get("/_fakehs/v1/appservices/weather/status").token("t").send().json();
        assertThat(status.get("down").asBoolean()).isTrue();
        assertThat(status.get("queued_transactions").asInt()).isEqualTo(1);
        assertThat(status.get("next_retry").asText()).isNotEmpty();
        assertThat(status.get("backoff_seconds").asLong()).isEqualTo(2);
        assertThat(status.get("faults").get("hits").asInt()).isEqualTo(1);

        c.post("/_fakehs/v1/appservices/weather/faults").token("t").json(Map.of("down", false)).send();
        assertThat(c.post("/_fakehs/v1/appservices/weather/retry").token("t").send().status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> as.transactions().stream().anyMatch(r -> r.eventIds().contains(m)));
        await().atMost(WAIT).until(() -> !c.get("/_fakehs/v1/appservices/weather/status").token("t").send().json()
                .get("down").asBoolean());
    }

    @Test
    void fail_transactions_over_http_fails_that_many_attempts() {
        await().atMost(WAIT).until(() -> !hs.appserviceStatus("weather").inFlight()
                && hs.appserviceStatus("weather").queuedEvents() == 0);
        JsonNode f = c.post("/_fakehs/v1/appservices/weather/faults").token("t").json(Map.of("fail_transactions", 1))
                .send().json();
        assertThat(f.get("pending_transaction_failures").asInt()).isEqualTo(1);
        hs.user("@weather_paris:test").send(room, "once refused");
        await().atMost(WAIT).until(() -> hs.appserviceStatus("weather").down());
        JsonNode failed = transactions("?kind=transaction");
        assertThat(failed.get(failed.size() - 1).get("status").asInt()).isZero();
        assertThat(failed.get(failed.size() - 1).get("error").asText()).contains("[injected fault]");
    }

    @Test
    void paused_pushes_and_lost_answers_over_http_hold_a_backlog_then_send_it_and_resend_a_handled_txn() {
        await().atMost(WAIT).until(() -> !hs.appserviceStatus("weather").inFlight()
                && hs.appserviceStatus("weather").queuedEvents() == 0);
        int received = as.transactions().size();
        JsonNode paused = c.post("/_fakehs/v1/appservices/weather/faults").token("t")
                .json(Map.of("paused", true, "lose_answers", 1)).send().json();
        assertThat(paused.get("paused").asBoolean()).isTrue();
        assertThat(paused.get("pending_lost_answers").asInt()).isEqualTo(1);
        hs.user("@weather_paris:test").send(room, "one");
        hs.user("@weather_paris:test").send(room, "two");
        assertThat(hs.appserviceStatus("weather").queuedEvents()).isEqualTo(2);

        JsonNode resumed = c.post("/_fakehs/v1/appservices/weather/faults").token("t").json(Map.of("paused", false))
                .send().json();
        assertThat(resumed.get("paused").asBoolean()).isFalse();
        await().atMost(WAIT).until(() -> hs.appserviceStatus("weather").down());
        assertThat(c.post("/_fakehs/v1/appservices/weather/retry").token("t").send().status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !hs.appserviceStatus("weather").down());

        var got = as.transactions().subList(received, as.transactions().size());
        assertThat(got).hasSize(2).allSatisfy(t -> assertThat(t.eventIds()).hasSize(2));
        assertThat(got.get(1).txnId()).as("the answer was lost: the same txnId again").isEqualTo(got.get(0).txnId());
        assertThat(c.post("/_fakehs/v1/appservices/weather/faults").token("t").json(Map.of("lose_answers", 0)).send()
                .errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void status_retry_and_faults_of_an_unknown_appservice_are_404_or_400_naming_the_loaded_ones() {
        TestClient.Reply status = c.get("/_fakehs/v1/appservices/nope/status").token("t").send();
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(status.error()).contains("nope", "weather");
        assertThat(c.post("/_fakehs/v1/appservices/nope/retry").token("t").send().errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(c.post("/_fakehs/v1/appservices/weather/faults").token("t").json(Map.of()).send().errcode())
                .isEqualTo("M_MISSING_PARAM");
        assertThat(c.post("/_fakehs/v1/appservices/weather/faults").token("t").json(Map.of("down", "yes")).send()
                .errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void client_api_faults_installed_over_http_use_the_same_rules_as_hs_faults() {
        JsonNode rule = c.post("/_fakehs/v1/faults").token("t").json(Map.of("method", "GET",
                "path", "/account/whoami", "times", 1, "respond", Map.of("status", 429, "retry_after_ms", 1500)))
                .send().json();
        assertThat(rule.get("fault").asText()).isEqualTo("respond");
        assertThat(hs.faults().rules()).hasSize(1);

        String token = hs.user("@alice:test").accessToken();
        TestClient.Reply refused = c.get("/_matrix/client/v3/account/whoami").token(token).send();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("retry_after_ms").asLong()).isEqualTo(1500);
        assertThat(refused.error()).endsWith("[injected fault]");
        assertThat(c.get("/_matrix/client/v3/account/whoami").token(token).send().status()).isEqualTo(200);

        JsonNode rules = c.get("/_fakehs/v1/faults").token("t").send().json().get("rules");
        assertThat(rules.get(0).get("hits").asInt()).isEqualTo(1);
        assertThat(rules.get(0).get("remaining").asInt()).isZero();
        assertThat(c.delete("/_fakehs/v1/faults").token("t").send().status()).isEqualTo(200);
        assertThat(hs.faults().rules()).isEmpty();
    }

    @Test
    void a_fault_rule_with_two_actions_or_a_bad_status_is_refused_with_a_matrix_error() {
        TestClient.Reply two = c.post("/_fakehs/v1/faults").token("t").json(Map.of("method", "GET", "path", "/sync",
                "drop", true, "delay_ms", 10)).send();
        assertThat(two.status()).isEqualTo(400);
        assertThat(two.errcode()).isEqualTo("M_INVALID_PARAM");
        TestClient.Reply status = c.post("/_fakehs/v1/faults").token("t").json(Map.of("method", "GET",
                "path", "/sync", "respond", Map.of("status", 200))).send();
        assertThat(status.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(c.post("/_fakehs/v1/faults").token("t").json(Map.of("path", "/sync", "drop", true)).send()
                .errcode()).isEqualTo("M_MISSING_PARAM");
        assertThat(hs.faults().rules()).isEmpty();
    }

    @Test
    void reset_goes_through_the_facade_and_clears_the_faults() {
        hs.faults().on("GET", "/sync").respond(500);
        hs.faults().appservice("weather").markDown();
        c.post("/_fakehs/v1/reset").token("t").send();
        assertThat(hs.faults().rules()).isEmpty();
        assertThat(hs.faults().appservice("weather").isMarkedDown()).isFalse();
    }

    @Test
    void typing_receipts_and_presence_injected_over_http_reach_the_appservice_as_ephemeral_data() {
        hs.user("@alice:test").join(room);
        String m = hs.user("@alice:test").send(room, "hi");
        String enc = TestClient.enc(room);
        assertThat(c.post("/_fakehs/v1/rooms/" + enc + "/typing").token("t")
                .json(Map.of("user_id", "@alice:test", "typing", true)).send().status()).isEqualTo(200);
        assertThat(c.post("/_fakehs/v1/rooms/" + enc + "/receipts").token("t")
                .json(Map.of("user_id", "@alice:test", "event_id", m)).send().status()).isEqualTo(200);
        assertThat(c.put("/_fakehs/v1/users/" + TestClient.enc("@alice:test") + "/presence").token("t")
                .json(Map.of("presence", "unavailable")).send().status()).isEqualTo(200);

        await().atMost(WAIT).until(() -> ephemeralTypes().containsAll(List.of("m.typing", "m.receipt", "m.presence")));
    }

    @Test
    void typing_in_a_room_the_user_is_not_in_is_403_and_a_bad_presence_is_400() {
        TestClient.Reply typing = c.post("/_fakehs/v1/rooms/" + TestClient.enc(room) + "/typing").token("t")
                .json(Map.of("user_id", "@stranger:test")).send();
        assertThat(typing.status()).isEqualTo(403);
        assertThat(typing.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(typing.error()).doesNotContain("(403)");
        TestClient.Reply presence = c.put("/_fakehs/v1/users/" + TestClient.enc("@alice:test") + "/presence")
                .token("t").json(Map.of("presence", "asleep")).send();
        assertThat(presence.status()).isEqualTo(400);
        assertThat(presence.errcode()).isEqualTo("M_INVALID_PARAM");
    }
}
