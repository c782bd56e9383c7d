package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.junit5.FakeHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Without annotation: a virtual clock only when the configuration parameter asks for one. */
@ExtendWith(FakeHomeserver.class)
public class ClockParameterScenario {
    @Test
    void takes_a_virtual_clock(Homeserver hs, VirtualClock clock) {
        assertThat(hs.clock()).isSameAs(clock);
    }
}
