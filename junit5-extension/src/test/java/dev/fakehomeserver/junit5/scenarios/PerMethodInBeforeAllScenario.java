package dev.fakehomeserver.junit5.scenarios;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import dev.fakehomeserver.junit5.Lifecycle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(lifecycle = Lifecycle.PER_METHOD)
public class PerMethodInBeforeAllScenario {
    @BeforeAll
    static void wantsAServer(Homeserver hs) {
        hs.reset();
    }

    @Test
    void never_runs() {
    }
}
