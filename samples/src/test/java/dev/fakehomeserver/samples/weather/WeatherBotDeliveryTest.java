package dev.fakehomeserver.samples.weather;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static dev.fakehomeserver.samples.weather.WeatherBotTest.answersIn;
import static dev.fakehomeserver.samples.weather.WeatherBotTest.publicRoomWithTheBot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.view.EventView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How events reach the bot: only from the homeserver (hs_token), once each (txnId), and in order even when the
 * bot was down for a while.
 *
 * <p>The homeserver runs on a {@link VirtualClock}: it retries a down appservice only when the test moves the
 * clock, so "two seconds later" takes no time at all.
 */
class WeatherBotDeliveryTest {
    static final VirtualClock clock = new VirtualClock();

    @RegisterExtension
    static final FakeHomeserver fake = FakeHomeserver.builder()
            .registration(Registration.fromClasspath("weather.yaml"))
            .configure(server -> server.clock(clock))
            .build();

    private final HttpClient http = HttpClient.newHttpClient();
    private WeatherBot bot;

    @BeforeEach
    void start_the_bot(Homeserver hs) {
        bot = startBot(hs);
    }

    @AfterEach
    void stop_the_bot() {
        bot.close();
    }

    @Test
    void a_transaction_with_a_wrong_hs_token_is_refused_and_ignored(Homeserver hs) throws Exception {
        // Given a room where the bot could answer
        String room = publicRoomWithTheBot(hs, hs.user("@alice:test"));

        // When someone who is not the homeserver pushes a question to the bot, with a wrong token or none
        HttpResponse<String> wrongToken = pushToBot("/_matrix/app/v1/transactions/forged-1",
                transactionAsking(room, "!weather paris"), "Bearer not-the-hs-token");
        HttpResponse<String> noToken = pushToBot("/_matrix/app/v1/transactions/forged-2",
                transactionAsking(room, "!weather paris"), null);

        // Then the bot answers 403 M_FORBIDDEN to the wrong token, 401 to none, and does nothing
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(wrongToken.body()).contains("M_FORBIDDEN");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(answersIn(hs, room, "@weather_paris:test")).isZero();
        // The homeserver never sends a wrong token, so it cannot see this test do it: say so for the coverage report
        hs.recordBehaviour("weather", Behaviour.WRONG_HS_TOKEN);
    }

    @Test
    void the_hs_token_is_accepted_in_the_query_string_as_older_homeservers_send_it(Homeserver hs) throws Exception {
        String room = publicRoomWithTheBot(hs, hs.user("@alice:test"));

        HttpResponse<String> answer = pushToBot("/_matrix/app/v1/transactions/legacy-1?access_token="
                + hs.registration("weather").hsToken(), transactionAsking(room, "!weather paris"), null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(hs).room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
    }

    @Test
    void a_transaction_sent_again_with_the_same_txn_id_is_answered_once(Homeserver hs) throws Exception {
        // Given alice's question, pushed to the bot and answered
        Actor alice = hs.user("@alice:test");
        String room = publicRoomWithTheBot(hs, alice);
        String question = alice.send(room, "!weather paris");
        assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");

        // When the same transaction arrives again, as a homeserver's retry would send it
        RecordedTransaction pushed = transactionCarrying(hs, question);
        HttpResponse<String> again = pushToBot(pushed.path(), pushed.requestBody(),
                "Bearer " + hs.registration("weather").hsToken());

        // Then the bot acknowledges it but does not answer twice (it answers before acknowledging, so no wait)
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(answersIn(hs, room, "@weather_paris:test")).isEqualTo(1);
    }

    @Test
    void questions_asked_while_the_bot_was_down_are_answered_in_order_when_it_is_back(Homeserver hs) {
        // Given a room with the bot, and then the bot goes down
        Actor alice = hs.user("@alice:test");
        String room = publicRoomWithTheBot(hs, alice);
        bot.close();

        // When alice asks three questions: the first push fails, and the homeserver marks the bot down
        alice.send(room, "!weather paris");
        alice.send(room, "!weather lyon");
        alice.send(room, "!weather nice");
        await().until(() -> hs.appserviceStatus("weather").down());
        assertThat(hs.appserviceStatus("weather").nextRetry()).isEqualTo(clock.now().plusSeconds(2));

        // And the bot comes back (on another port) before the homeserver's first retry, two seconds later
        bot = startBot(hs);
        clock.advance(Duration.ofSeconds(2));

        // Then the homeserver delivers what waited, oldest first, and the bot answers in order
        hs.waitUntil(() -> hs.room(room).messages().stream().filter(e -> e.sender().startsWith("@weather_"))
                .count() == 3, hs.defaultWait());
        assertThat(hs.room(room).messages()).filteredOn(e -> e.sender().startsWith("@weather_"))
                .extracting(EventView::body).containsExactly("Paris: sunny", "Lyon: sunny", "Nice: sunny");
        // The bot's own answers, which queued while it was still marked down, follow; then it is up again
        await().until(() -> !hs.appserviceStatus("weather").down());
        assertThat(hs.transactions().of("weather", RecordedTransaction.Kind.TRANSACTION))
                .anyMatch(RecordedTransaction::isRetry);
    }

    @Test
    void a_push_whose_answer_was_lost_comes_again_with_the_same_txn_id_and_is_answered_once(Homeserver hs) {
        // Given a room with the bot
        Actor alice = hs.user("@alice:test");
        String room = publicRoomWithTheBot(hs, alice);
        // The bot's own join is pushed back to it after it is in the room: wait for that push, or the lost answer
        // below could be the join's instead of the question's (seen in CI under load).
        assertThat(hs).eventually().appservice("weather").isIdle();

        // When the bot handles alice's question but its "200 {}" is lost on the way back, as in a timeout
        hs.faults().appservice("weather").loseAnswers(1);
        String question = alice.send(room, "!weather paris");
        assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
        assertThat(hs).eventually().appservice("weather").isDown();   // the homeserver counts that push failed

        // And two seconds later the homeserver sends that transaction again, with the same txnId
        clock.advance(Duration.ofSeconds(2));
        assertThat(hs).eventually().appservice("weather").isIdle();

        // Then the bot got the txnId twice, recognised it, and answered once
        List<RecordedTransaction> carrying = hs.transactions().records(t -> t.eventIds().contains(question));
        assertThat(carrying).hasSize(2).extracting(RecordedTransaction::txnId).containsOnly(carrying.get(0).txnId());
        assertThat(answersIn(hs, room, "@weather_paris:test")).isEqualTo(1);
    }

    @Test
    void a_backlog_arrives_in_transactions_of_at_most_100_events_and_in_order(Homeserver hs) {
        // Given a room with the bot, and pushes to it held back for a while (a busy homeserver)
        Actor alice = hs.user("@alice:test");
        String room = publicRoomWithTheBot(hs, alice);
        assertThat(hs).eventually().appservice("weather").isIdle();
        int before = hs.transactions().of("weather", RecordedTransaction.Kind.TRANSACTION).size();
        hs.faults().appservice("weather").pausePushes();

        // When alice chats 150 messages, then asks the weather, and the homeserver catches up
        for (int i = 1; i <= 150; i++) {
            alice.send(room, "chatter " + i);
        }
        alice.send(room, "!weather paris");
        hs.faults().appservice("weather").resumePushes();

        // Then the 151 events came in two transactions, 100 then 51, and the question, last, was answered
        assertThat(hs).eventually().room(room).timeline().containsMessageFrom("@weather_paris:test", "Paris: sunny");
        assertThat(hs).eventually().appservice("weather").isIdle();   // the bot answers before it acknowledges
        List<RecordedTransaction> pushes = hs.transactions().of("weather", RecordedTransaction.Kind.TRANSACTION);
        assertThat(pushes.subList(before, before + 2)).extracting(t -> t.eventIds().size()).containsExactly(100, 51);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static WeatherBot startBot(Homeserver hs) {
        Registration weather = hs.registration("weather");
        WeatherBot started = new WeatherBot(hs.url(), hs.serverName(), weather.asToken(), weather.hsToken(),
                city -> "sunny");
        hs.setAppserviceUrl("weather", started.url());
        return started;
    }

    /**
     * The transaction that delivered an event. Awaited: the homeserver records a push once the bot has
     * acknowledged it, and the bot answers alice before it acknowledges.
     */
    private static RecordedTransaction transactionCarrying(Homeserver hs, String eventId) {
        return await().until(() -> hs.transactions().records(t -> t.eventIds().contains(eventId)),
                found -> !found.isEmpty()).get(0);
    }

    /** A transaction as a homeserver would push it, holding one message from alice. */
    private static String transactionAsking(String room, String body) {
        return """
                {"events": [{"type": "m.room.message", "room_id": "%s", "sender": "@alice:test",
                             "event_id": "$forged", "content": {"msgtype": "m.text", "body": "%s"}}]}
                """.formatted(room, body);
    }

    /** PUTs straight to the bot, as the homeserver does, with this Authorization header (or none). */
    private HttpResponse<String> pushToBot(String pathAndQuery, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(bot.url() + pathAndQuery))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }
}
