package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(virtualClock = true)
public class VirtualClockScenario {
    @Test
    void the_clock_parameter_drives_the_server(Homeserver hs, VirtualClock clock) {
        assertThat(hs.clock()).isSameAs(clock);
        Instant before = clock.now();
        clock.advance(Duration.ofHours(1));
        String room = hs.user("@alice:test").createRoom(RoomOptions.create());
        assertThat(hs.room(room).timeline().get(0).originServerTs())
                .isEqualTo(before.plus(Duration.ofHours(1)).toEpochMilli());
    }
}
