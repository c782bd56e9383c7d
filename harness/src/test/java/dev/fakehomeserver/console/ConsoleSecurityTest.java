package dev.fakehomeserver.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.testing.ScriptedAppservice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's security over real HTTP: no data without a credential, one-time links that work once, no token
 * in any page or answer the console reads, no state change from another site's page, and pages only where the
 * control API is.
 */
class ConsoleSecurityTest {
    private static final String CONTROL_TOKEN = "control-s3cret-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> PAGES = List.of("", "index.html", "appservices.html", "transactions.html",
            "journal.html", "send.html", "console.css", "console.js", "rooms.js", "appservices.js",
            "transactions.js", "journal.js", "send.js", "favicon.svg");

    private ScriptedAppservice appservice;
    private Registration weather;
    private Homeserver hs;
    private String roomId;
    private Actor alice;

    @BeforeEach
    void scene() {
        appservice = ScriptedAppservice.start();
        weather = Registration.builder("weather").url(appservice.url()).senderLocalpart("weatherbot")
                .users("@weather_.*:test", true).build();
        hs = Homeserver.builder().registration(weather).controlApi(CONTROL_TOKEN).start();
        alice = hs.user("@alice:test");
        roomId = alice.createRoom(RoomOptions.create().name("Lobby").alias("lobby")
                .preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@weather_bot:test").join(roomId);
        alice.send(roomId, "!weather Paris");
        hs.awaitAppserviceIdle("weather", Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        hs.close();
        appservice.close();
    }

    @Test
    void refuses_every_read_and_action_without_a_credential_with_M_MISSING_TOKEN() throws Exception {
        for (String path : List.of("/rooms", "/journal", "/transactions", "/appservices", "/changes",
                "/console/session")) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(401);
            assertThat(r.body()).contains("M_MISSING_TOKEN");
        }
        assertThat(get("/rooms", "fhc_made-up").statusCode()).isEqualTo(401);
    }

    @Test
    void a_console_link_logs_a_browser_in_once_and_logout_ends_the_session() throws Exception {
        String link = hs.consoleUrl();
        assertThat(link).startsWith(hs.url() + "/_fakehs/console/#code=").doesNotContain(CONTROL_TOKEN);
        String code = link.substring(link.indexOf("#code=") + 6);

        HttpResponse<String> login = post("/console/login", null, "{\"code\":\"" + code + "\"}", null);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String session = field(login.body(), "session");
        assertThat(get("/rooms", session).statusCode()).isEqualTo(200);

        HttpResponse<String> again = post("/console/login", null, "{\"code\":\"" + code + "\"}", null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(403);
        assertThat(again.body()).contains("M_FORBIDDEN").contains("already used or has expired");

        assertThat(post("/console/logout", session, "{}", null).statusCode()).isEqualTo(200);
        assertThat(get("/rooms", session).statusCode()).isEqualTo(401);
    }

    @Test
    void no_page_or_answer_the_console_reads_contains_a_token() throws Exception {
        List<String> secrets = List.of(CONTROL_TOKEN, weather.asToken(), weather.hsToken(), alice.accessToken());
        List<String> seen = new ArrayList<>();
        for (String page : PAGES) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(hs.url() + "/_fakehs/console/" + page))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.headers().firstValue("content-security-policy")).as(page).hasValueSatisfying(csp ->
                    assertThat(csp).contains("script-src 'self'").contains("connect-src 'self'"));
            seen.add(r.headers().map() + r.body());
        }
        String room = "/rooms/" + enc(roomId);
        for (String path : List.of("/console/session", "/rooms", room, room + "/timeline", room + "/state",
                "/users", "/journal", "/transactions", "/appservices", "/appservices/weather/status", "/changes")) {
            HttpResponse<String> r = get(path, CONTROL_TOKEN);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            seen.add(r.headers().map() + r.body());
        }
        assertThat(String.join("\n", seen)).as("the journal shows alice's requests and the pushes")
                .contains("!weather Paris").contains("/_matrix/app/v1/transactions/");
        for (String s : seen) {
            for (String secret : secrets) {
                assertThat(s).doesNotContain(secret);
            }
        }
    }

    @Test
    void a_cross_site_post_changes_nothing_with_or_without_the_token() throws Exception {
        int before = timelineSize();
        String forged = "{\"sender\":\"@alice:test\",\"type\":\"m.room.message\",\"content\":{\"body\":\"forged\"}}";
        // What a form on another site can send: no Authorization header, text/plain, the browser's Origin.
        HttpResponse<String> noToken = post("/rooms/" + enc(roomId) + "/events", null, forged, "http://evil.example");
        assertThat(noToken.statusCode()).as(noToken.body()).isIn(401, 403);
        HttpResponse<String> withToken = post("/rooms/" + enc(roomId) + "/events", CONTROL_TOKEN, forged,
                "http://evil.example");
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(403);
        HttpResponse<String> markDown = post("/appservices/weather/faults", null, "{\"down\":true}", "null");
        assertThat(markDown.statusCode()).isIn(401, 403);

        assertThat(timelineSize()).isEqualTo(before);
        assertThat(hs.faults().appservice("weather").isMarkedDown()).isFalse();
        // The console's own page (same origin) and scripts (no Origin) still act.
        HttpResponse<String> sameSite = post("/rooms/" + enc(roomId) + "/events", CONTROL_TOKEN, forged, hs.url());
        assertThat(sameSite.statusCode()).as(sameSite.body()).isEqualTo(200);
    }

    @Test
    void a_server_without_a_control_token_still_refuses_cross_site_posts() throws Exception {
        try (Homeserver open = Homeserver.builder().controlApi(null).start()) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(open.url() + "/_fakehs/v1/reset"))
                    .header("Origin", "http://evil.example").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("M_FORBIDDEN").contains("another site");
        }
    }

    @Test
    void state_changes_are_refused_on_get_with_405() throws Exception {
        for (String path : List.of("/reset", "/appservices/weather/faults", "/appservices/weather/retry",
                "/console/login", "/rooms/" + enc(roomId) + "/events")) {
            assertThat(get(path, CONTROL_TOKEN).statusCode()).as(path).isEqualTo(405);
        }
        assertThat(hs.rooms()).hasSize(1);
    }

    @Test
    void pages_exist_only_where_the_control_api_is() throws Exception {
        try (Homeserver plain = Homeserver.builder().start()) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(plain.url() + "/_fakehs/console/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).doesNotContain("<html");
        }
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(hs.url() + "/_fakehs/console/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<script src=\"console.js\"></script>");
        assertThat(page.body()).as("no inline script: the CSP allows only files").doesNotContain("<script>");
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(hs.url()
                + "/_fakehs/console/../v1/rooms")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void changes_answers_when_the_model_changes() throws Exception {
        long version = Long.parseLong(field(get("/changes", CONTROL_TOKEN).body(), "version"));
        CompletableFuture<HttpResponse<String>> waiting = HTTP.sendAsync(request("/changes?since=" + version,
                CONTROL_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        alice.send(roomId, "something happened");
        HttpResponse<String> woke = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(woke.statusCode()).isEqualTo(200);
        assertThat(Long.parseLong(field(woke.body(), "version"))).isGreaterThan(version);
        // A page that is behind gets an answer at once.
        HttpResponse<String> behind = get("/changes?since=0", CONTROL_TOKEN);
        assertThat(Long.parseLong(field(behind.body(), "version"))).isGreaterThan(version);
        assertThat(get("/changes?since=x", CONTROL_TOKEN).statusCode()).isEqualTo(400);
    }

    private int timelineSize() {
        return hs.room(roomId).timeline().size();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(request(path, token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST as the console's pages send it (JSON), or, with another site's {@code origin}, as a forged form. */
    private HttpResponse<String> post(String path, String token, String body, String origin) throws Exception {
        boolean forged = origin != null && !origin.equals(hs.url());
        HttpRequest.Builder b = request(path, token).header("Content-Type", forged ? "text/plain" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hs.url() + "/_fakehs/v1" + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
