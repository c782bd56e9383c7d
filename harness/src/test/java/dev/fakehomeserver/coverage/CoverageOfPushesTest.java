package dev.fakehomeserver.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.journal.RecordedTransaction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the pusher makes happen, counted per appservice: retries, down and up, duplicates, batches, ephemeral data. */
class CoverageOfPushesTest {

    @Test
    void a_failed_push_sent_again_counts_a_retry_and_the_appservice_down_and_recovered_but_no_duplicate() {
        try (CoverageFixture f = new CoverageFixture()) {
            String room = f.roomWithGhost();
            Coverage before = f.hs.coverage();
            f.hs.faults().appservice("weather").failTransactions(1);

            f.hs.user("@alice:test").send(room, "while down");
            assertThat(f.hs.waitUntil(() -> f.hs.appserviceStatus("weather").nextRetry() != null, CoverageFixture.WAIT))
                    .isTrue();
            f.clock.advance(Duration.ofSeconds(2));
            f.awaitIdle();

            Coverage added = f.hs.coverage().since(before);
            assertThat(added.counts("weather")).containsEntry(Behaviour.TRANSACTION_RETRIED, 1L)
                    .containsEntry(Behaviour.APPSERVICE_DOWN_AND_RECOVERED, 1L)
                    .doesNotContainKey(Behaviour.DUPLICATE_TXN_ID);
        }
    }

    @Test
    void a_lost_answer_makes_the_retry_a_duplicate_txn_id_that_the_appservice_receives_twice() {
        try (CoverageFixture f = new CoverageFixture()) {
            String room = f.roomWithGhost();
            int received = f.as.transactions().size();
            f.hs.faults().appservice("weather").loseAnswers(1);

            f.hs.user("@alice:test").send(room, "handled, but the answer is lost");
            assertThat(f.hs.waitUntil(() -> f.hs.appserviceStatus("weather").nextRetry() != null, CoverageFixture.WAIT))
                    .isTrue();
            f.clock.advance(Duration.ofSeconds(2));
            f.awaitIdle();

            var twice = f.as.transactions().subList(received, f.as.transactions().size());
            assertThat(twice).hasSize(2);
            assertThat(twice.get(1).txnId()).isEqualTo(twice.get(0).txnId());
            RecordedTransaction lost = f.hs.transactions().of("weather", RecordedTransaction.Kind.TRANSACTION)
                    .stream().filter(t -> !t.succeeded()).findFirst().orElseThrow();
            assertThat(lost.status()).as("the appservice did answer").isEqualTo(200);
            assertThat(lost.error()).startsWith("the answer was lost");
            assertThat(f.count(Behaviour.DUPLICATE_TXN_ID)).isEqualTo(1);
            assertThat(f.count(Behaviour.TRANSACTION_RETRIED)).isEqualTo(1);
        }
    }

    @Test
    void paused_pushes_go_out_in_transactions_of_at_most_100_events_once_resumed() {
        try (CoverageFixture f = new CoverageFixture()) {
            String room = f.roomWithGhost();
            int received = f.as.transactions().size();
            f.hs.faults().appservice("weather").pausePushes();
            for (int i = 0; i < 150; i++) {
                f.hs.user("@alice:test").send(room, "message " + i);
            }
            assertThat(f.hs.appserviceStatus("weather").queuedEvents()).isEqualTo(150);
            assertThat(f.as.transactions()).hasSize(received);

            f.hs.faults().appservice("weather").resumePushes();
            f.awaitIdle();

            List<Integer> sizes = f.as.transactions().subList(received, f.as.transactions().size()).stream()
                    .map(t -> t.eventIds().size()).toList();
            assertThat(sizes).containsExactly(100, 50);
            assertThat(f.count(Behaviour.FULL_TRANSACTION)).isEqualTo(1);
            assertThat(f.count(Behaviour.BATCH)).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void typing_pushed_to_an_appservice_that_opted_in_counts_ephemeral_data() {
        try (CoverageFixture f = new CoverageFixture(r -> r.receiveEphemeral(true))) {
            String room = f.roomWithGhost();
            f.hs.user("@alice:test").typing(room, true);
            f.awaitIdle();
            assertThat(f.count(Behaviour.EPHEMERAL)).isEqualTo(1);
        }
    }

    @Test
    void the_queries_count_once_each_when_the_appservice_was_asked() {
        try (CoverageFixture f = new CoverageFixture(r -> r.protocol("irc"))) {
            String room = f.roomWithGhost();
            f.hs.user("@alice:test").invite(room, "@weather_oslo:test");   // nobody registered it: a user query
            f.awaitIdle();
            String alice = f.hs.user("@alice:test").accessToken();
            f.http.get("/_matrix/client/v3/directory/room/%23weather_lyon%3Atest").token(alice).send();
            f.http.get("/_matrix/client/v3/thirdparty/protocol/irc").token(alice).send();
            f.asAppservice("POST", "/_matrix/client/v1/appservice/weather/ping").json("{}").send();

            Coverage c = f.hs.coverage();
            assertThat(c.covered("weather")).contains(Behaviour.USER_QUERY, Behaviour.ALIAS_QUERY, Behaviour.PING,
                    Behaviour.THIRD_PARTY, Behaviour.GHOST_INVITED);
            assertThat(c.count("weather", Behaviour.USER_QUERY)).isEqualTo(1);
        }
    }

    @Test
    void a_reset_counts_for_every_appservice_and_clears_nothing_of_the_coverage() {
        try (CoverageFixture f = new CoverageFixture()) {
            f.roomWithGhost();
            Coverage before = f.hs.coverage();
            f.hs.reset();
            Coverage after = f.hs.coverage();
            assertThat(after.since(before).covered("weather")).containsExactly(Behaviour.RESET);
            assertThat(after.covered("weather")).containsAll(before.covered("weather"));
        }
    }

    @Test
    void a_behaviour_the_fake_cannot_see_is_recorded_by_the_test_and_an_unknown_appservice_is_refused() {
        try (CoverageFixture f = new CoverageFixture()) {
            f.hs.recordBehaviour("weather", Behaviour.WRONG_HS_TOKEN);
            assertThat(f.count(Behaviour.WRONG_HS_TOKEN)).isEqualTo(1);
            assertThat(f.hs.coverage().appservices()).containsExactly("weather");
            assertThatThrownBy(() -> f.hs.recordBehaviour("wether", Behaviour.PING))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weather");
        }
    }
}
