package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
@ExtendWith(FakeHomeserver.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ResetScenario {
    static int firstPort;

    @Test
    @Order(1)
    void first_creates_a_room(Homeserver hs) {
        firstPort = hs.port();
        hs.user("@alice:test").createRoom();
        assertThat(hs.rooms()).hasSize(1);
    }

    @Test
    @Order(2)
    void second_finds_the_same_server_empty(Homeserver hs) {
        assertThat(hs.port()).isEqualTo(firstPort);
        assertThat(hs.rooms()).isEmpty();
        assertThat(hs.users()).isEmpty();
    }
}
