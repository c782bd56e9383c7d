package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.platform.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest with {@code fakehomeserver.platform} set, not by surefire. */
@ExtendWith(FakeHomeserver.class)
public class PlatformParameterScenario {
    @Test
    void runs_on_the_business_plan(Homeserver hs) {
        assertThat(hs.hostedPlatform()).contains(Plan.BUSINESS);
    }
}
