package dev.fakehomeserver.assertj;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.RoomOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A test script in another language waiting on the control API ({@code ?wait_ms=}) fails with the very message
 * {@code assertThat(hs).eventually(..)} gives in Java: both are one {@code Expectation} of the harness.
 */
class ControlApiWaitMessagesTest {
    private static final Duration WAIT = Duration.ofMillis(120);
    private final Homeserver hs = Homeserver.builder().registration(Registration.builder("weather")
            .senderLocalpart("weatherbot").users("@weather_.*:test", true).aliases("#weather_.*:test", true)
            .build()).controlApi("t").start();

    @AfterEach
    void stop() {
        hs.close();
    }

    private String waitFails(String pathAndQuery) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(hs.url() + "/_fakehs/v1" + pathAndQuery))
                .header("Authorization", "Bearer t").GET().build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(408);
        JsonNode body = new ObjectMapper().readTree(r.body());
        return body.get("error").asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void a_timeline_wait_fails_with_the_message_of_eventually_contains_message_from() throws Exception {
        String room = hs.user("@weather_paris:test").createRoom(RoomOptions.create().alias("weather_paris")
                .preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@alice:test").join(room);
        hs.user("@alice:test").send(room, "!weather Paris");
        String overHttp = waitFails("/rooms/" + enc("#weather_paris:test") + "/timeline?wait_ms=120&sender="
                + enc("@weather_paris:test") + "&body=" + enc("Paris: sunny"));
        AssertionError inJava = catchThrowableOfType(AssertionError.class, () -> assertThat(hs).eventually(WAIT)
                .room("#weather_paris:test").timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny"));
        org.assertj.core.api.Assertions.assertThat(overHttp).isEqualTo(inJava.getMessage())
                .contains("(waited 120 ms)").contains("Appservice weather, which @weather_paris:test belongs to");
    }

    @Test
    void a_journal_wait_fails_with_the_message_of_eventually_has_request() throws Exception {
        String overHttp = waitFails("/journal?wait_ms=120&method=PUT&path=" + enc("/rooms/{roomId}/send/*"));
        AssertionError inJava = catchThrowableOfType(AssertionError.class, () -> assertThat(hs).eventually(WAIT)
                .journal().hasRequest("PUT", "/rooms/{roomId}/send/*"));
        org.assertj.core.api.Assertions.assertThat(overHttp).isEqualTo(inJava.getMessage());
    }

    @Test
    void appservice_waits_fail_with_the_messages_of_eventually_received_message_and_is_down() throws Exception {
        String room = hs.user("@alice:test").createRoom();
        hs.user("@alice:test").send(room, "!weather Paris");
        String received = waitFails("/transactions?wait_ms=120&appservice=weather&sender=" + enc("@alice:test")
                + "&body=" + enc("!weather Paris"));
        AssertionError inJava = catchThrowableOfType(AssertionError.class, () -> assertThat(hs).eventually(WAIT)
                .appservice("weather").receivedMessage("@alice:test", "!weather Paris"));
        org.assertj.core.api.Assertions.assertThat(received).isEqualTo(inJava.getMessage());

        String down = waitFails("/appservices/weather/status?wait_ms=120&until=down");
        AssertionError notDown = catchThrowableOfType(AssertionError.class, () -> assertThat(hs).eventually(WAIT)
                .appservice("weather").isDown());
        org.assertj.core.api.Assertions.assertThat(down).isEqualTo(notDown.getMessage());
    }
}
