package dev.fakehomeserver.assertj;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.RoomOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code during(..)}: the assertion must stay true. On a virtual clock the period passes by advancing the clock
 * (no real waiting); on the system clock the assertion is re-checked on each change until the period is over.
 */
class DuringTest {

    @Test
    void on_a_virtual_clock_it_advances_the_clock_and_fails_when_a_due_retry_changes_the_outcome() throws IOException {
        VirtualClock clock = new VirtualClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (LoopbackAppservice as = new LoopbackAppservice();
             Homeserver hs = Homeserver.builder().clock(clock).registration(Registration.builder("weather")
                     .url(as.url()).users("@weather_.*:test", true).build()).start()) {
            String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
            hs.faults().appservice("weather").failTransactions(1);
            hs.user("@weather_paris:test").join(room);
            assertThat(hs).eventually().appservice("weather").isDown();

            assertThat(hs).appservice("weather").during(Duration.ofSeconds(1)).isDown();   // the retry is due at 2 s
            org.assertj.core.api.Assertions.assertThat(clock.instant()).isEqualTo("2030-01-01T00:00:01Z");

            assertThatThrownBy(() -> assertThat(hs).appservice("weather").during(Duration.ofSeconds(5)).isDown())
                    .hasMessageStartingWith("Expecting appservice weather to be down (during 5 s of virtual time)\n"
                            + "but the fake sees it up.");
            assertThat(hs).appservice("weather").isIdle().receivedTransactions(1);
        }
    }

    @Test
    void on_the_system_clock_it_passes_when_nothing_happens() {
        try (Homeserver hs = Homeserver.builder().start()) {
            String room = hs.user("@alice:test").createRoom();
            assertThat(hs).during(Duration.ofMillis(50)).room(room).timeline().doesNotContainMessageFrom("@bob:test");
            assertThat(hs).room(room).timeline().during(Duration.ofMillis(50)).doesNotContainMessage("hi");
        }
    }

    @Test
    void on_the_system_clock_it_fails_as_soon_as_the_assertion_breaks() {
        try (Homeserver hs = Homeserver.builder().start()) {
            String room = hs.user("@alice:test").createRoom();
            var later = Executors.newSingleThreadScheduledExecutor();
            try {
                later.schedule(() -> hs.user("@alice:test").send(room, "hi"), 20, TimeUnit.MILLISECONDS);
                assertThatThrownBy(() -> assertThat(hs).room(room).timeline().during(Duration.ofMinutes(1))
                        .doesNotContainMessageFrom("@alice:test"))
                        .hasMessageStartingWith("Expecting the timeline of room " + room
                                + " not to contain a message from @alice:test (during 60 s: no longer true after ")
                        .hasMessageContaining("\nbut it has one.");
            } finally {
                later.shutdownNow();
            }
        }
    }

    @Test
    void eventually_then_during_waits_for_it_then_holds_it() {
        try (Homeserver hs = Homeserver.builder().start()) {
            String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
            var later = Executors.newSingleThreadScheduledExecutor();
            try {
                later.schedule(() -> hs.user("@bob:test").join(room), 20, TimeUnit.MILLISECONDS);
                assertThat(hs).eventually().during(Duration.ofMillis(50)).room(room).hasMember("@bob:test");
            } finally {
                later.shutdownNow();
            }
        }
    }

    @Test
    void a_negative_period_is_refused() {
        try (Homeserver hs = Homeserver.builder().start()) {
            assertThatThrownBy(() -> assertThat(hs).during(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
