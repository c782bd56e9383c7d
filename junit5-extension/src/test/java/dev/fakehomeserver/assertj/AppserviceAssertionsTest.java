package dev.fakehomeserver.assertj;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.RoomOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code assertThat(hs).appservice(..)} over the outbound journal, against a real loopback appservice on a
 * virtual clock; failure messages compared with golden files as in {@link AssertionMessagesTest}.
 */
class AppserviceAssertionsTest {
    private final VirtualClock clock = new VirtualClock(Instant.parse("2030-01-01T00:00:00Z"));
    private LoopbackAppservice as;
    private Homeserver hs;
    private String room;

    @BeforeEach
    void start() throws IOException {
        as = new LoopbackAppservice();
        hs = as.weatherServer(clock);
        // Nothing here interests weather, so each test's pushes are its own, one event per transaction.
        room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
    }

    /** Weather's bot joins (one pushed event), and the test waits until the push is answered. */
    private void weatherJoins() {
        hs.user("@weather_paris:test").join(room);
        awaitIdle();
    }

    private void awaitIdle() {
        hs.waitUntil(() -> {
            var st = hs.appserviceStatus("weather");
            return !st.inFlight() && st.queuedEvents() == 0;
        }, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        hs.close();
        as.close();
    }

    @Test
    void passes_for_what_was_pushed_and_asked() {
        weatherJoins();
        String id = hs.user("@alice:test").send(room, "!weather Paris");
        hs.user("@weather_paris:test").invite(room, "@weather_london:test");
        assertThat(hs).eventually().appservice("weather")
                .receivedEvent(id)
                .receivedMessage("@alice:test", "!weather Paris")
                .receivedEventOfType("m.room.member")
                .wasQueriedForUser("@weather_london:test")
                .isUp();
    }

    @Test
    void eventually_waits_for_a_push_that_arrives_later() {
        weatherJoins();
        var later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> hs.user("@alice:test").send(room, "later"), 50, TimeUnit.MILLISECONDS);
            assertThat(hs).eventually().appservice("weather").receivedMessage("@alice:test", "later");
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void a_failed_push_shows_every_attempt_and_the_next_retry_until_the_clock_moves() throws IOException {
        weatherJoins();
        hs.faults().appservice("weather").failTransactions(1);
        String id = hs.user("@alice:test").send(room, "!weather Paris");
        assertThat(hs).eventually().appservice("weather").isDown();
        awaitIdle();
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).appservice("weather").receivedEvent(id));
        AssertionMessagesTest.golden("appservice-push-failed", e.getMessage());

        clock.advance(Duration.ofSeconds(2));
        assertThat(hs).eventually().appservice("weather").isUp().receivedEvent(id).receivedTransactions(2);
    }

    @Test
    void an_event_the_appservice_is_not_interested_in_says_why() throws IOException {
        String id = hs.user("@alice:test").send(room, "not for weather");
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).appservice("weather").receivedEvent(id));
        AssertionMessagesTest.golden("appservice-not-interested", e.getMessage());
    }

    @Test
    void a_missing_message_lists_near_misses() throws IOException {
        hs.user("@alice:test").send(room, "!weather Oslo");
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).appservice("weather").receivedMessage("@alice:test", "!weather Oslo"));
        AssertionMessagesTest.golden("appservice-missing-message", e.getMessage());
    }

    @Test
    void a_query_never_made_says_the_user_was_already_known() throws IOException {
        hs.user("@weather_rome:test");
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> assertThat(hs).appservice("weather").wasQueriedForUser("@weather_rome:test"));
        AssertionMessagesTest.golden("appservice-not-queried", e.getMessage());
    }

    @Test
    void is_down_fails_with_the_transactions_when_the_appservice_is_up() {
        assertThatThrownBy(() -> assertThat(hs).appservice("weather").isDown())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting appservice weather to be down\nbut the fake sees it up.\n")
                .hasMessageContaining("Push state of weather: up");
    }

    @Test
    void receiving_too_few_transactions_fails_with_the_count() {
        weatherJoins();
        assertThatThrownBy(() -> assertThat(hs).eventually(Duration.ofMillis(50)).appservice("weather")
                .receivedTransactions(2))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting appservice weather to have acknowledged 2 transactions (waited 50 ms)"
                        + "\nbut it acknowledged 1 (1 attempt in all).");
    }

    @Test
    void made_request_and_has_no_violations_read_the_requests_made_with_its_as_token() throws Exception {
        Registration reg = hs.registration("weather");
        var http = java.net.http.HttpClient.newHttpClient();
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hs.url() + "/_matrix/client/v3/account/whoami"))
                .header("Authorization", "Bearer " + reg.asToken()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(hs).appservice("weather").madeRequest("GET", "/account/whoami").hasNoViolations();
        assertThatThrownBy(() -> assertThat(hs).appservice("weather").madeRequest("POST", "/register"))
                .hasMessageStartingWith("Expecting appservice weather to have made a request POST /register\n"
                        + "but it made none.");
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hs.url()
                + "/_matrix/client/v3/rooms/!nowhere:test/state")).header("Authorization", "Bearer " + reg.asToken())
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThatThrownBy(() -> assertThat(hs).appservice("weather").hasNoViolations())
                .hasMessageStartingWith("Expecting appservice weather to have had no request refused\nbut 1 were.");
    }

    @Test
    void was_queried_for_alias_reads_the_alias_queries() throws Exception {
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hs.url()
                + "/_matrix/client/v3/directory/room/%23weather_oslo:test"))
                .header("Authorization", "Bearer " + hs.user("@alice:test").accessToken()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(hs).eventually().appservice("weather").wasQueriedForAlias("#weather_oslo:test");
        assertThatThrownBy(() -> assertThat(hs).appservice("weather").wasQueriedForAlias("#other:test"))
                .hasMessageStartingWith("Expecting appservice weather to have been asked about #other:test\n"
                        + "but it was not.\n#other:test is in none of weather's aliases namespaces");
    }

    @Test
    void is_idle_fails_while_a_transaction_waits_for_its_retry() {
        weatherJoins();
        assertThat(hs).appservice("weather").isIdle();
        hs.faults().appservice("weather").failTransactions(1);
        hs.user("@alice:test").send(room, "!weather Paris");
        assertThat(hs).eventually().appservice("weather").isDown();
        assertThatThrownBy(() -> assertThat(hs).appservice("weather").isIdle())
                .hasMessageStartingWith("Expecting appservice weather to be idle\nbut it is not: Push state of weather:"
                        + " down, 1 transaction waiting");
        clock.advance(Duration.ofSeconds(2));
        assertThat(hs).eventually().appservice("weather").isIdle();
    }

    @Test
    void an_unknown_appservice_is_refused_at_once() {
        assertThatThrownBy(() -> assertThat(hs).appservice("wether"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wether");
    }
}
