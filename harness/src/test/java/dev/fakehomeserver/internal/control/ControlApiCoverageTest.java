package dev.fakehomeserver.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The coverage over the control API, for suites in other languages: the same counts as {@code hs.coverage()}. */
class ControlApiCoverageTest {
    private final Homeserver hs = Homeserver.builder().registration(TestRegistrations.weather("http://127.0.0.1:1"))
            .controlApi("t").start();
    private final TestClient c = new TestClient(hs.url());

    @AfterEach
    void stop() {
        hs.close();
    }

    @Test
    void get_coverage_answers_what_hs_coverage_says_per_appservice() {
        String room = hs.user("@alice:test").createRoom();
        hs.user("@alice:test").invite(room, "@weather_bob:test");
        hs.reset();

        JsonNode got = c.get("/_fakehs/v1/coverage").token("t").send().json();

        assertThat(got.get("behaviours").asInt()).isEqualTo(Behaviour.values().length);
        JsonNode weather = got.at("/appservices/weather");
        assertThat(weather.get("covered").asInt()).isEqualTo(hs.coverage().covered("weather").size()).isEqualTo(2);
        assertThat(weather.at("/counts/ghost-invited").asLong()).isEqualTo(1);
        assertThat(weather.at("/counts/reset-between-tests").asLong()).isEqualTo(1);
        assertThat(weather.get("missing")).hasSize(Behaviour.values().length - 2);
        assertThat(weather.get("missing").get(0).asText()).isEqualTo(Behaviour.TRANSACTION_RETRIED.id());
    }

    @Test
    void record_counts_what_the_fake_cannot_see_and_refuses_unknown_names_with_a_matrix_error() {
        TestClient.Reply recorded = c.post("/_fakehs/v1/coverage/record").token("t")
                .json(Map.of("appservice_id", "weather", "behaviour", "wrong-hs-token")).send();
        assertThat(recorded.status()).isEqualTo(200);
        assertThat(recorded.json().at("/appservices/weather/counts/wrong-hs-token").asLong()).isEqualTo(1);
        assertThat(hs.coverage().count("weather", Behaviour.WRONG_HS_TOKEN)).isEqualTo(1);

        TestClient.Reply badBehaviour = c.post("/_fakehs/v1/coverage/record").token("t")
                .json(Map.of("appservice_id", "weather", "behaviour", "wrong-token")).send();
        assertThat(badBehaviour.status()).isEqualTo(400);
        assertThat(badBehaviour.errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(badBehaviour.error()).contains("wrong-hs-token");
        TestClient.Reply badAppservice = c.post("/_fakehs/v1/coverage/record").token("t")
                .json(Map.of("appservice_id", "wether", "behaviour", "ping")).send();
        assertThat(badAppservice.status()).isEqualTo(400);
        assertThat(badAppservice.error()).contains("weather");
        TestClient.Reply unknownField = c.post("/_fakehs/v1/coverage/record").token("t")
                .json(Map.of("appservice_id", "weather", "behaviour", "ping", "times", 3)).send();
        assertThat(unknownField.errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void the_catalogue_lists_every_behaviour_with_how_to_make_it_happen() {
        JsonNode list = c.get("/_fakehs/v1/coverage/catalogue").token("t").send().json().get("behaviours");
        assertThat(list).hasSize(Behaviour.values().length);
        assertThat(list.get(0).get("id").asText()).isEqualTo("transaction-retried");
        assertThat(list.get(0).get("how_to").asText()).isEqualTo(Behaviour.TRANSACTION_RETRIED.howTo());
        assertThat(c.get("/_fakehs/v1/coverage").send().status()).as("the token is needed").isEqualTo(401);
    }
}
