package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.journal.AppserviceStatus;
import dev.fakehomeserver.journal.RecordedTransaction;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.ScriptedAppservice.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** spec-digest §3.5 and synapse-observed §8: DOWN, the same txnId retried after 2, 4, 8 ... s, recovery in order. */
class RetryAndRecoveryTest {

    private static Answer failing(AtomicInteger failuresLeft) {
        return failuresLeft.getAndDecrement() > 0
                ? Answer.json(500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"simulated failure\"}") : Answer.ok();
    }

    @Test
    void retries_the_same_transaction_after_2_4_and_8_virtual_seconds_then_delivers_everything_in_order() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            int before = f.as.transactions().size();
            AtomicInteger failures = new AtomicInteger(3);
            f.as.on("/transactions/", r -> failing(failures));
            Instant t0 = f.clock.now();

            String m1 = f.send(bob, room, "message 1");
            AppserviceStatus down = f.awaitRetryScheduled();
            assertThat(down.nextRetry()).isEqualTo(t0.plusSeconds(2));
            String m2 = f.send(bob, room, "message 2");
            String m3 = f.send(bob, room, "message 3");
            assertThat(f.hs.appserviceStatus("weather").queuedTransactions()).isEqualTo(3);

            f.clock.advance(Duration.ofSeconds(2));
            assertThat(f.awaitRetryScheduled().nextRetry()).isEqualTo(t0.plusSeconds(2 + 4));
            f.clock.advance(Duration.ofSeconds(4));
            assertThat(f.awaitRetryScheduled().nextRetry()).isEqualTo(t0.plusSeconds(2 + 4 + 8));
            f.clock.advance(Duration.ofSeconds(8));
            f.awaitIdle();

            List<ScriptedAppservice.Req> got = f.as.transactions().subList(before, f.as.transactions().size());
            String txn = got.get(0).txnId();
            assertThat(got).extracting(ScriptedAppservice.Req::txnId).startsWith(txn, txn, txn, txn);
            assertThat(got.subList(0, 4)).extracting(ScriptedAppservice.Req::body).containsOnly(got.get(0).body());
            assertThat(got.subList(4, got.size())).extracting(ScriptedAppservice.Req::txnId)
                    .allSatisfy(id -> assertThat(Long.parseLong(id)).isGreaterThan(Long.parseLong(txn)));
            assertThat(got.stream().skip(3).flatMap(r -> r.eventIds().stream())).containsExactly(m1, m2, m3);

            List<RecordedTransaction> attempts = f.pushes().stream().filter(t -> t.txnId().equals(txn)).toList();
            assertThat(attempts).extracting(RecordedTransaction::attempt).containsExactly(1, 2, 3, 4);
            assertThat(attempts).extracting(RecordedTransaction::sentAt).containsExactly(
                    t0, t0.plusSeconds(2), t0.plusSeconds(6), t0.plusSeconds(14));
            assertThat(attempts).extracting(RecordedTransaction::status).containsExactly(500, 500, 500, 200);
            assertThat(f.hs.appserviceStatus("weather").down()).isFalse();
        }
    }

    @Test
    void doubles_the_delay_up_to_512_seconds_and_starts_again_at_2_after_a_success() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            AtomicInteger failures = new AtomicInteger(11);
            f.as.on("/transactions/", r -> failing(failures));
            f.send(bob, room, "m");
            long[] expected = {2, 4, 8, 16, 32, 64, 128, 256, 512, 512};
            for (long delay : expected) {
                AppserviceStatus st = f.awaitRetryScheduled();
                assertThat(st.backoffSeconds()).isEqualTo(delay);
                assertThat(st.nextRetry()).isEqualTo(f.clock.now().plusSeconds(delay));
                f.clock.advance(Duration.ofSeconds(delay));
            }
            assertThat(f.awaitRetryScheduled().backoffSeconds()).isEqualTo(512);
            f.clock.advance(Duration.ofSeconds(512));
            f.awaitIdle();

            failures.set(1);
            f.send(bob, room, "again");
            assertThat(f.awaitRetryScheduled().backoffSeconds()).isEqualTo(2);
        }
    }

    @Test
    void a_2xx_answer_that_is_not_json_marks_the_appservice_down() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            AtomicInteger bad = new AtomicInteger(1);
            f.as.on("/transactions/", r -> bad.getAndDecrement() > 0 ? Answer.json(200, "") : Answer.ok());
            f.send(bob, room, "m");
            f.awaitRetryScheduled();
            RecordedTransaction last = f.pushes().get(f.pushes().size() - 1);
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.error()).startsWith("ValueError");
            f.clock.advance(Duration.ofSeconds(2));
            f.awaitIdle();
        }
    }

    @Test
    void a_refused_connection_marks_the_appservice_down_with_status_0_until_it_listens_again() {
        ScriptedAppservice gone = ScriptedAppservice.start();
        String deadUrl = gone.url();
        gone.close();
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            f.hs.setAppserviceUrl("weather", deadUrl);
            String m = f.send(bob, room, "into the void");
            f.awaitRetryScheduled();
            RecordedTransaction failed = f.pushes().get(f.pushes().size() - 1);
            assertThat(failed.status()).isZero();
            assertThat(failed.error()).startsWith("ConnectionRefusedError");

            f.hs.setAppserviceUrl("weather", f.as.url());
            f.clock.advance(Duration.ofSeconds(2));
            f.awaitIdle();
            assertThat(f.receivedEventIds()).endsWith(m);
        }
    }

    @Test
    void an_appservice_that_does_not_answer_in_time_is_marked_down() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (PushFixture f = new PushFixture(r -> r, b -> b.appserviceTimeout(Duration.ofMillis(300)))) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            f.as.on("/transactions/", r -> {
                try {
                    never.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Answer.ok();
            });
            f.send(bob, room, "slow");
            f.awaitRetryScheduled();
            RecordedTransaction failed = f.pushes().get(f.pushes().size() - 1);
            assertThat(failed.status()).isZero();
            assertThat(failed.error()).startsWith("TimeoutError");
        } finally {
            never.countDown();
        }
    }

    @Test
    void a_forced_retry_sends_at_once_without_advancing_the_clock() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            AtomicInteger failures = new AtomicInteger(1);
            f.as.on("/transactions/", r -> failing(failures));
            String m = f.send(bob, room, "m");
            f.awaitRetryScheduled();
            f.hs.retryAppserviceNow("weather");
            f.awaitIdle();
            assertThat(f.receivedEventIds()).endsWith(m, m);
            assertThat(f.clock.now()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        }
    }

    @Test
    void reset_forgets_queued_transactions_and_the_down_state_and_keeps_counting_txn_ids() {
        try (PushFixture f = new PushFixture()) {
            String bob = f.ghost("weather_bob");
            String room = f.room(bob);
            f.awaitIdle();
            AtomicInteger failures = new AtomicInteger(1);
            f.as.on("/transactions/", r -> failing(failures));
            f.send(bob, room, "m1");
            f.awaitRetryScheduled();
            f.send(bob, room, "m2");
            long lastTxn = Long.parseLong(f.pushes().get(f.pushes().size() - 1).txnId());

            f.hs.reset();
            assertThat(f.hs.transactions().records()).isEmpty();
            AppserviceStatus st = f.hs.appserviceStatus("weather");
            assertThat(st.down()).isFalse();
            assertThat(st.queuedTransactions()).isZero();
            assertThat(st.nextRetry()).isNull();

            String bob2 = f.ghost("weather_bob");
            f.room(bob2);
            f.awaitIdle();
            assertThat(f.pushes()).isNotEmpty().allSatisfy(t -> {
                assertThat(Long.parseLong(t.txnId())).isGreaterThan(lastTxn + 1);
                assertThat(t.attempt()).isEqualTo(1);
            });
        }
    }
}
