package dev.fakehomeserver.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.ScriptedAppservice.Answer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Reset and close of the push machinery. */
class PushLifecycleTest {

    @Test
    void the_answer_to_a_transaction_in_flight_during_reset_is_ignored_and_not_journaled() {
        try (PushFixture f = new PushFixture()) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean first = new AtomicBoolean(true);
            f.as.on("/transactions/", r -> {
                if (first.getAndSet(false)) {
                    TransactionBatchingTest.await(release);
                }
                return Answer.ok();
            });
            String bob = f.ghost("weather_bob");
            f.room(bob);
            f.awaitTransactions(1);
            f.hs.reset();
            String bob2 = f.ghost("weather_bob");
            String room = f.room(bob2);
            f.awaitIdle();   // a new transaction went out at once, not behind the one held open
            release.countDown();
            int records = f.hs.transactions().records().size();
            f.send(bob2, room, "after");
            f.awaitPushes(records + 1);
            assertThat(f.hs.transactions().records()).allSatisfy(t -> assertThat(t.succeeded()).isTrue());
            assertThat(f.hs.appserviceStatus("weather").down()).isFalse();
        }
    }

    @Test
    void close_stops_the_servers_threads_and_pending_retries() {
        VirtualClock clock = new VirtualClock();
        try (ScriptedAppservice as = ScriptedAppservice.start()) {
            as.on("/transactions/", r -> Answer.json(500, "{}"));
            Registration reg = Registration.builder("weather").url(as.url()).senderLocalpart("weatherbot")
                    .users("@weather_.*:closing", true).build();
            Homeserver hs = Homeserver.builder().serverName("closing").registration(reg).clock(clock).start();
            var core = dev.fakehomeserver.CoreAccess.core(hs);
            core.services().rooms().createRoom(PushFixture.who("@weatherbot:closing"),
                    new dev.fakehomeserver.internal.model.RoomService.CreateRoom(null, null, null, null, null, null,
                            null, false, null, null, null));
            await().atMost(PushFixture.WAIT).until(() -> hs.appserviceStatus("weather").nextRetry() != null);
            int sent = as.transactions().size();
            hs.close();
            clock.advance(Duration.ofMinutes(10));
            assertThat(as.transactions()).hasSize(sent);
            await().atMost(PushFixture.WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().contains("closing") && t.isAlive()));
        }
    }
}
