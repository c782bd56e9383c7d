package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Strict bodies in, readable bodies out: unknown fields are refused by name, recorded bodies are embedded JSON. */
class ControlApiPayloadsTest {
    private final ScriptedAppservice as = ScriptedAppservice.start();
    private final Homeserver hs = Homeserver.builder().registration(TestRegistrations.weather(as.url()))
            .controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
        as.close();
    }

    private TestClient.Reply post(String path, Object body) {
        return c.post("/_fakehs/v1" + path).token("t").json(body).send();
    }

    @Test
    void refuses_an_unknown_field_with_M_BAD_JSON_naming_it_and_the_known_ones() {
        TestClient.Reply r = post("/rooms", Map.of("creator", "@alice:test", "memebers", List.of("@bob:test")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
        assertThat(r.error()).contains("'memebers'").contains("POST /_fakehs/v1/rooms").contains("members, name");
        assertThat(hs.rooms()).isEmpty();
    }

    @Test
    void refuses_unknown_fields_on_every_control_body_and_in_nested_fault_responses() {
        String room = post("/rooms", Map.of("creator", "@alice:test")).str("room_id");
        String r = "/rooms/" + TestClient.enc(room);
        List<String[]> cases = List.of(new String[] {"/users", "{\"user_id\":\"@a:test\",\"name\":\"A\"}"},
                new String[] {r + "/events", "{\"sender\":\"@alice:test\",\"type\":\"m.room.message\","
                        + "\"content\":{},\"txn_id\":\"1\"}"},
                new String[] {r + "/typing", "{\"user_id\":\"@alice:test\",\"timeout\":1}"},
                new String[] {r + "/invite", "{\"sender\":\"@alice:test\",\"user_id\":\"@b:test\",\"why\":\"x\"}"},
                new String[] {"/faults", "{\"method\":\"GET\",\"path\":\"/sync\",\"respond\":{\"status\":500,"
                        + "\"errorcode\":\"M_UNKNOWN\"}}"},
                new String[] {"/appservices/weather/faults", "{\"down\":true,\"forever\":true}"},
                new String[] {"/violations/allow", "{\"errcode\":\"M_NOT_FOUND\",\"path\":\"/x\"}"},
                new String[] {"/reset", "{\"keep\":true}"});
        for (String[] k : cases) {
            TestClient.Reply reply = c.post("/_fakehs/v1" + k[0]).token("t").json(k[1]).send();
            assertThat(reply.status()).as(k[0] + " " + reply).isEqualTo(400);
            assertThat(reply.errcode()).as(k[0]).isEqualTo("M_BAD_JSON");
            assertThat(reply.error()).as(k[0]).startsWith("Unknown field '");
        }
        assertThat(hs.faults().rules()).isEmpty();
        assertThat(hs.faults().appservice("weather").isMarkedDown()).isFalse();
    }

    @Test
    void serves_recorded_bodies_as_embedded_json_and_says_so() {
        TestClient.Reply reg = c.post("/_matrix/client/v3/register").token(hs.registration("weather").asToken())
                .json(Map.of("type", "m.login.application_service", "username", "weather_bob")).send();
        assertThat(reg.status()).as(reg.toString()).isEqualTo(200);
        JsonNode r = c.get("/_fakehs/v1/journal").token("t").send().json().get("requests").get(0);
        assertThat(r.get("request_body").isObject()).isTrue();
        assertThat(r.at("/request_body/username").asText()).isEqualTo("weather_bob");
        assertThat(r.get("request_body_format").asText()).isEqualTo("json");
        assertThat(r.at("/response_body/user_id").asText()).isEqualTo("@weather_bob:test");
        assertThat(r.get("response_body_format").asText()).isEqualTo("json");
    }

    @Test
    void serves_a_body_that_is_not_json_as_text_and_says_so() {
        c.put("/_matrix/client/v3/rooms/x/send/m.room.message/1").token(hs.registration("weather").asToken())
                .json("not json at all").send();
        JsonNode r = c.get("/_fakehs/v1/journal").token("t").send().json().get("requests").get(0);
        assertThat(r.get("request_body").asText()).isEqualTo("not json at all");
        assertThat(r.get("request_body_format").asText()).isEqualTo("text");
    }

    @Test
    void serves_transaction_bodies_as_embedded_json() {
        String room = hs.user("@weather_bob:test").createRoom();
        hs.user("@weather_bob:test").send(room, "hello");
        assertThat(hs.awaitAppserviceIdle("weather", Duration.ofSeconds(5))).isTrue();
        JsonNode t = c.get("/_fakehs/v1/transactions?kind=transaction").token("t").send().json()
                .get("transactions").get(0);
        assertThat(t.get("request_body").get("events").isArray()).isTrue();
        assertThat(t.get("request_body_format").asText()).isEqualTo("json");
        assertThat(t.get("response_body_format").asText()).isEqualTo("json");
        assertThat(hs.transactions().of("weather", RecordedTransaction.Kind.TRANSACTION)).isNotEmpty();
    }
}
