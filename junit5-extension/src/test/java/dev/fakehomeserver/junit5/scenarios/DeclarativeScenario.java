package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(serverName = "example")
public class DeclarativeScenario {
    private Homeserver fromBeforeEach;

    @BeforeEach
    void setUp(Homeserver hs) {
        fromBeforeEach = hs;
    }

    @Test
    void gets_the_configured_server(Homeserver hs) {
        assertThat(hs.serverName()).isEqualTo("example");
        assertThat(hs).isSameAs(fromBeforeEach);
    }
}
