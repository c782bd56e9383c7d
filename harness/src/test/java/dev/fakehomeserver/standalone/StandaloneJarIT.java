package dev.fakehomeserver.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fakehomeserver.testing.TestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a user runs it: a separate JVM started with {@code java -jar}, a registration file, an
 * appservice over real HTTP, and the control API to set the scene and read the result.
 */
class StandaloneJarIT {
    private static final String AS_TOKEN = "as_token_weather_it_0123456789";
    private static final String HS_TOKEN = "hs_token_weather_it_0123456789";
    private static final String CONTROL = "it-control-token";
    /** The client's patience with a request that waits up to 20 s on the server. */
    private static final Duration LONG = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private TestAppservice appservice;
    private StandaloneProcess fake;
    private TestClient client;

    @BeforeEach
    void start() throws IOException {
        appservice = new TestAppservice(AS_TOKEN, HS_TOKEN);
        Path reg = dir.resolve("weather.yaml");
        Files.writeString(reg, String.join("\n", "id: weather", "url: " + appservice.url(),
                "as_token: " + AS_TOKEN, "hs_token: " + HS_TOKEN, "sender_localpart: weatherbot",
                "rate_limited: false", "namespaces:", "  users:", "    - exclusive: true",
                "      regex: '@weather_.*:test'", ""));
        fake = StandaloneProcess.start("--port", "0", "--registration", reg.toString(), "--control-token", CONTROL,
                "--verbose");
        String url = fake.awaitUrl();
        appservice.homeserver(url);
        client = new TestClient(url);
    }

    @AfterEach
    void stop() {
        fake.close();
        appservice.close();
    }

    private TestClient.Reply control(String method, String path, Object body) {
        TestClient.Request r = client.method(method, "/_fakehs/v1" + path).token(CONTROL);
        return (body == null ? r : r.json(body)).send();
    }

    private List<JsonNode> timeline(String roomId) {
        List<JsonNode> out = new ArrayList<>();
        control("GET", "/rooms/" + TestClient.enc(roomId) + "/timeline", null).json().get("events").forEach(out::add);
        return out;
    }

    /** Scene: alice's public room, the appservice's ghost registered and joined over the client API. */
    private String roomWithGhost() throws Exception {
        assertThat(appservice.registerGhost()).isEqualTo(200);
        String roomId = control("POST", "/rooms", Map.of("creator", "@alice:test", "preset", "public_chat",
                "name", "Weather")).str("room_id");
        assertThat(appservice.joinAsGhost(roomId)).isEqualTo(200);
        return roomId;
    }

    @Test
    void serves_the_registration_lets_the_appservice_act_and_the_control_api_inject_and_read() throws Exception {
        assertThat(fake.output()).contains("appservice weather from " + dir.resolve("weather.yaml"));
        String roomId = roomWithGhost();

        TestClient.Reply sent = control("POST", "/rooms/" + TestClient.enc(roomId) + "/events", Map.of(
                "sender", "@alice:test", "type", "m.room.message",
                "content", Map.of("msgtype", "m.text", "body", "!weather Paris")));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);

        List<JsonNode> tl = timeline(roomId);
        assertThat(tl).anySatisfy(e -> {
            assertThat(e.get("type").asText()).isEqualTo("m.room.member");
            assertThat(e.get("state_key").asText()).isEqualTo(TestAppservice.GHOST);
        });
        // The sent message ends the timeline, unless the appservice's reply (pushed at once) already follows it.
        List<String> ids = tl.stream().map(e -> e.get("event_id").asText()).toList();
        assertThat(ids).contains(sent.str("event_id"));
        assertThat(tl.subList(ids.indexOf(sent.str("event_id")) + 1, tl.size()))
                .allSatisfy(e -> assertThat(e.get("sender").asText()).isEqualTo(TestAppservice.GHOST));
        JsonNode journal = control("GET", "/journal", null).json().get("requests");
        assertThat(journal).anySatisfy(r -> {
            assertThat(r.get("path").asText()).isEqualTo("/_matrix/client/v3/register");
            assertThat(r.at("/request_body/type").asText()).isEqualTo("m.login.application_service");
            assertThat(r.get("status").asInt()).isEqualTo(200);
        });
        assertThat(journal).anySatisfy(r -> {
            assertThat(r.get("path").asText()).startsWith("/_matrix/client/v3/join/");
            assertThat(r.get("appservice_id").asText()).isEqualTo("weather");
            assertThat(r.get("user_id").asText()).isEqualTo(TestAppservice.GHOST);
        });
        assertThat(fake.lines()).anyMatch(l -> l.contains("POST /_matrix/client/v3/register -> 200"));
    }

    @Test
    void refuses_the_control_api_without_its_token() {
        TestClient.Reply r = client.get("/_fakehs/v1/rooms").send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void stops_gracefully_on_sigterm() throws Exception {
        fake.stop();
        assertThat(fake.output()).contains("fake-homeserver: stopping");
    }

    @Test
    void the_appservice_is_pushed_the_injected_message_and_its_reply_lands_in_the_room() throws Exception {
        String roomId = roomWithGhost();
        String question = control("POST", "/rooms/" + TestClient.enc(roomId) + "/events", Map.of("sender",
                "@alice:test", "type", "m.room.message", "content", Map.of("msgtype", "m.text",
                        "body", "!weather Paris"))).str("event_id");
        // As a script in another language would: wait on the control API, no sleep, no polling loop.
        TestClient.Reply pushed = client.get("/_fakehs/v1/transactions").token(CONTROL).timeout(LONG)
                .query("wait_ms", "20000").query("appservice", "weather").query("event_id", question).send();
        assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
        TestClient.Reply answered = client.get("/_fakehs/v1/rooms/" + TestClient.enc(roomId) + "/timeline")
                .token(CONTROL).timeout(LONG).query("wait_ms", "20000").query("sender", TestAppservice.GHOST)
                .query("body", "Paris: sunny").query("limit", "1").send();
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        assertThat(answered.json().at("/events/0/content/body").asText()).isEqualTo("Paris: sunny");
        TestClient.Reply idle = client.get("/_fakehs/v1/appservices/weather/status").token(CONTROL).timeout(LONG)
                .query("wait_ms", "20000").query("until", "idle").send();
        assertThat(idle.status()).as(idle.toString()).isEqualTo(200);
    }

    @Test
    void a_wait_that_times_out_answers_408_with_what_the_fake_saw() throws Exception {
        String roomId = roomWithGhost();
        TestClient.Reply r = client.get("/_fakehs/v1/rooms/" + TestClient.enc(roomId) + "/timeline").token(CONTROL)
                .query("wait_ms", "100").query("sender", TestAppservice.GHOST).query("body", "never").send();
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.errcode()).isEqualTo("DEV.FAKEHOMESERVER.WAIT_TIMEOUT");
        assertThat(r.error()).startsWith("Expecting the timeline of room " + roomId + " to contain a message from "
                + TestAppservice.GHOST + " with body \"never\" (waited 100 ms)").contains("What the fake saw:");
    }
}
