package dev.fakehomeserver.junit5.scenarios;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.coverage.Behaviour;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by CoverageListenerTest through a launcher, not by surefire: two tests, each covering its own behaviours. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(registrations = "classpath:coverage-scenario.yaml")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class CoverageScenario {
    @Test
    @Order(1)
    void a_remote_user_talks_to_a_ghost(Homeserver hs) {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@echo_bob:test").join(room);
        hs.user("@carol:elsewhere").join(room);
        hs.user("@carol:elsewhere").send(room, "hi bob");
    }

    @Test
    @Order(2)
    void the_ghost_is_kicked(Homeserver hs) {
        String room = hs.user("@alice:test").createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@echo_bob:test").join(room);
        hs.user("@alice:test").kick(room, "@echo_bob:test", "bye");
    }

    @AfterAll
    static void after_the_last_test(Homeserver hs) {
        hs.recordBehaviour("echo", Behaviour.WRONG_HS_TOKEN);
    }
}
