package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.faults.AppserviceFaults;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.journal.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code hs.faults().appservice(..)}: the fake sees a real loopback appservice as unreachable, and the pusher's
 * own down state, retries and backoff follow.
 */
class AppserviceFaultsTest {

    @Test
    void failed_transactions_never_reach_the_appservice_and_the_same_txn_is_retried_on_the_clock() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            int received = f.as.transactions().size();
            int pushed = f.pushes().size();
            f.hs.faults().appservice("weather").failTransactions(2);
            Instant t0 = f.clock.now();

            String m = f.send(bob, room, "hello");
            assertThat(f.awaitRetryScheduled().nextRetry()).isEqualTo(t0.plusSeconds(2));
            f.clock.advance(Duration.ofSeconds(2));
            assertThat(f.awaitRetryScheduled().nextRetry()).isEqualTo(t0.plusSeconds(2 + 4));
            assertThat(f.as.transactions()).hasSize(received);
            f.clock.advance(Duration.ofSeconds(4));
            f.awaitIdle();

            List<RecordedTransaction> attempts = f.pushes().subList(pushed, f.pushes().size());
            assertThat(attempts).extracting(RecordedTransaction::attempt).containsExactly(1, 2, 3);
            assertThat(attempts).extracting(RecordedTransaction::txnId).containsOnly(attempts.get(0).txnId());
            assertThat(attempts).extracting(RecordedTransaction::status).containsExactly(0, 0, 200);
            assertThat(attempts.get(0).error()).endsWith(Violation.INJECTED_MARKER);
            assertThat(f.as.transactions().subList(received, f.as.transactions().size()))
                    .singleElement().satisfies(r -> {
                        assertThat(r.txnId()).isEqualTo(attempts.get(0).txnId());
                        assertThat(r.eventIds()).containsExactly(m);
                    });
            assertThat(f.hs.faults().appservice("weather").hits()).isEqualTo(2);
        }
    }

    @Test
    void marked_down_fails_user_queries_too_and_after_mark_up_a_forced_retry_delivers() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            AppserviceFaults faults = f.hs.faults().appservice("weather").markDown();

            String m = f.send(bob, room, "while down");
            f.awaitRetryScheduled();
            f.hs.retryAppserviceNow("weather");
            f.awaitRetryScheduled();
            assertThat(f.hs.appserviceStatus("weather").queuedTransactions()).isEqualTo(1);
            assertThat(f.receivedEventIds()).doesNotContain(m);

            faults.markUp();
            assertThat(f.hs.appserviceStatus("weather").down()).as("markUp retries nothing by itself").isTrue();
            f.hs.retryAppserviceNow("weather");
            f.awaitIdle();
            assertThat(f.receivedEventIds()).contains(m);
            assertThat(faults.hits()).isEqualTo(2);
        }
    }

    @Test
    void marked_down_fails_a_user_query_without_asking_the_appservice() {
        try (PushFixture f = new PushFixture()) {
            String alice = f.user("alice");
            String room = f.room(alice);
            f.awaitIdle();
            f.hs.faults().appservice("weather").markDown();
            int asked = f.as.requests().size();

            // An invite of an unknown user in the namespace makes the homeserver query the appservice first.
            f.invite(alice, "@weather_nobody:test", room);
            await().atMost(PushFixture.WAIT).until(() -> !f.hs.transactions()
                    .of("weather", RecordedTransaction.Kind.USER_QUERY).isEmpty());

            RecordedTransaction q = f.hs.transactions().of("weather", RecordedTransaction.Kind.USER_QUERY).get(0);
            assertThat(q.status()).isZero();
            assertThat(q.error()).startsWith("appservice marked down").endsWith(Violation.INJECTED_MARKER);
            assertThat(f.as.requests().subList(asked, f.as.requests().size()))
                    .noneMatch(r -> r.path().contains("/users/"));
        }
    }

    @Test
    void reset_clears_the_faults_and_a_handle_from_before_still_acts_on_the_server() {
        try (PushFixture f = new PushFixture()) {
            AppserviceFaults faults = f.hs.faults().appservice("weather").markDown().failTransactions(3);
            f.hs.reset();
            assertThat(faults.isMarkedDown()).isFalse();
            assertThat(faults.pendingTransactionFailures()).isZero();

            faults.failTransactions(1);
            String bob = f.ghost("weather_bob");
            f.room(bob);
            f.awaitRetryScheduled();
            assertThat(f.hs.faults().appservice("weather")).isSameAs(faults);
            assertThat(faults.hits()).isEqualTo(1);
        }
    }

    @Test
    void refuses_an_unknown_appservice_id_naming_the_loaded_ones() {
        try (PushFixture f = new PushFixture()) {
            assertThatThrownBy(() -> f.hs.faults().appservice("wether"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("wether").hasMessageContaining("[weather]");
        }
    }
}
