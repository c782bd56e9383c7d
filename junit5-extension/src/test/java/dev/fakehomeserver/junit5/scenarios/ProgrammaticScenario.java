package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.junit5.FakeHomeserver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
public class ProgrammaticScenario {
    @RegisterExtension
    static FakeHomeserver fake = FakeHomeserver.builder()
            .registration(Registration.builder("weather").users("@weather_.*:test", true).build())
            .build();

    @BeforeAll
    static void beforeAll(Homeserver hs) {
        assertThat(hs.registrations()).hasSize(1);
    }

    @Test
    void gets_the_server_with_the_registration(Homeserver hs) {
        assertThat(hs.registration("weather").id()).isEqualTo("weather");
        assertThat(hs.serverName()).isEqualTo("test");
    }
}
