package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(seed = 7, virtualClock = true)
public class SeedScenario {
    @Test
    void runs_on_the_annotated_seed_and_its_clock(Homeserver hs, VirtualClock clock) {
        assertThat(hs.randomSeed()).isEqualTo(7);
        assertThat(clock.instant()).isEqualTo(VirtualClock.seeded(7).instant());
    }

    @Test
    void fails_with_an_exception_of_its_own(Homeserver hs) {
        throw new IllegalStateException("the bot crashed");
    }
}
