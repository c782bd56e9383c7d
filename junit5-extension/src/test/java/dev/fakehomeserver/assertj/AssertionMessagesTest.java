package dev.fakehomeserver.assertj;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.RoomOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failure messages, compared with golden files under src/test/resources/messages (ids normalised). Regenerate
 * with {@code -Dfakehomeserver.updateGolden=true} and review the diff.
 */
class AssertionMessagesTest {
    private Homeserver hs;
    private String room;

    @BeforeEach
    void start() {
        hs = Homeserver.builder().registration(Registration.builder("weather").senderLocalpart("weatherbot")
                .users("@weather_.*:test", true).aliases("#weather_.*:test", true).build()).start();
        var paris = hs.user("@weather_paris:test").displayName("Weather Paris");
        room = paris.createRoom(RoomOptions.create().alias("weather_paris").name("Paris")
                .preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@alice:test").join(room);
        hs.user("@alice:test").send(room, "Paris: sunny");
        paris.send(room, "Paris: rainy");
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    @Test
    void a_missing_message_shows_the_timeline_and_near_misses() throws IOException {
        AssertionError e = catchThrowableOfType(AssertionError.class, () -> assertThat(hs).room("#weather_paris:test")
                .timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny"));
        golden("missing-message", e.getMessage());
    }

    @Test
    void a_missing_member_shows_the_memberships() throws IOException {
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).room(room).hasMember("@bob:test"));
        golden("missing-member", e.getMessage());
    }

    @Test
    void an_unknown_user_shows_the_users_the_fake_knows() throws IOException {
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).user("@weather_london:test").isRegistered());
        golden("unknown-user", e.getMessage());
    }

    @Test
    void passes_at_once_when_the_expectation_already_holds() {
        assertThat(hs).room("#weather_paris:test").hasMember("@alice:test").hasName("Paris")
                .hasState("m.room.name", "").timeline().containsMessageFrom("@weather_paris:test", "Paris: rainy");
        assertThat(hs).user("@weather_paris:test").isRegistered().hasDisplayName("Weather Paris")
                .belongsToAppservice("weather");
        assertThat(hs).hasNoViolations();
    }

    @Test
    void eventually_waits_for_an_event_appended_later() {
        var later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> hs.user("@weather_paris:test").send(room, "Paris: sunny"), 50, TimeUnit.MILLISECONDS);
            assertThat(hs).eventually().room(room).timeline()
                    .containsMessageFrom("@weather_paris:test", "Paris: sunny");
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void eventually_gives_up_after_its_timeout_with_the_last_message() {
        assertThatThrownBy(() -> assertThat(hs).eventually(Duration.ofMillis(100)).user("@nobody:test").isRegistered())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting user @nobody:test to be registered (waited 100 ms)\n"
                        + "but the fake does not know it.");
    }

    @Test
    void an_anonymous_request_in_the_journal_does_not_break_the_message() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hs.url() + "/_matrix/client/versions"))
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThatThrownBy(() -> assertThat(hs).room(room).hasMember("@bob:test"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Journal of @bob:test");
    }

    @Test
    void a_repeated_txn_id_is_called_out_in_the_journal() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String token = hs.registration("weather").asToken();
        for (int i = 0; i < 2; i++) {
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hs.url() + "/_matrix/client/v3/rooms/"
                    + room + "/send/m.room.message/t1?user_id=@weather_paris:test"))
                    .header("Authorization", "Bearer " + token)
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"msgtype\":\"m.text\",\"body\":\"hi\"}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).journal().hasRequest("POST", "/register"));
        golden("journal-repeated-txn-id", e.getMessage());
    }

    static void golden(String name, String actual) throws IOException {
        String normalised = normalise(actual);
        Path file = Path.of("src/test/resources/messages", name + ".txt");
        if (Boolean.getBoolean("fakehomeserver.updateGolden") || !Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, normalised, StandardCharsets.UTF_8);
        }
        org.assertj.core.api.Assertions.assertThat(normalised).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Replaces random room and event ids by stable placeholders, in order of appearance, ports and the seed. */
    static String normalise(String s) {
        s = s.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT");
        // Each server draws its seed at random: the golden files show where the replay line goes, not a number.
        s = s.replaceAll("Seed -?\\d+: replay with -Dfakehomeserver.seed=-?\\d+ \\(standalone jar: --seed -?\\d+\\)",
                "Seed SEED: replay with -Dfakehomeserver.seed=SEED (standalone jar: --seed SEED)");
        s = replaceInOrder(s, Pattern.compile("![A-Za-z]+:test"), "!ROOM%d:test");
        s = replaceInOrder(s, Pattern.compile("\\$[A-Za-z0-9_\\-]{20,}"), "\\$EVENT%d");
        return s;
    }

    private static String replaceInOrder(String s, Pattern p, String template) {
        Map<String, String> seen = new LinkedHashMap<>();
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String rep = seen.computeIfAbsent(m.group(), k -> String.format(template, seen.size() + 1));
            m.appendReplacement(out, rep);
        }
        m.appendTail(out);
        return out.toString();
    }
}
