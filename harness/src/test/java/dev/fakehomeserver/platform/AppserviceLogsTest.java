package dev.fakehomeserver.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** "Server → Logs → Appservices": the HTTP error responses of pushes (docs/platform.md, rule 6). */
class AppserviceLogsTest {
    @Test
    void my_endpoint_refusing_the_hs_token_shows_in_the_dashboards_appservice_logs() {
        try (ScriptedAppservice as = ScriptedAppservice.start();
             Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).controlApi("t")
                     .registration(TestRegistrations.weather(as.url())).start()) {
            hs.user("@alice:test").createRoom(RoomOptions.create().invite("@weatherbot:test"));
            assertThat(hs.awaitAppserviceIdle("weather", Duration.ofSeconds(10))).isTrue();
            assertThat(hs.dashboard().appserviceLogs()).as("a success is not logged").isEmpty();

            as.on("/transactions/", req -> ScriptedAppservice.Answer.json(403,
                    "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"wrong hs_token\"}"));
            hs.user("@alice:test").createRoom(RoomOptions.create().invite("@weatherbot:test"));
            assertThat(hs.waitUntil(() -> !hs.dashboard().appserviceLogs().isEmpty(), Duration.ofSeconds(10))).isTrue();
            RecordedTransaction logged = hs.dashboard().appserviceLogs().get(0);
            assertThat(logged.appserviceId()).isEqualTo("weather");
            assertThat(logged.status()).isEqualTo(403);

            TestClient.Reply r = new TestClient(hs.url()).get("/_fakehs/v1/platform/logs/appservices").token("t").send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("entries")).hasSize(hs.dashboard().appserviceLogs().size());
            assertThat(r.json().get("entries").get(0).get("status").asInt()).isEqualTo(403);
        }
    }
}
