package dev.fakehomeserver.junit5.scenarios;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
@ExtendWith(FakeHomeserver.class)
public class FailingAssertionScenario {
    @Test
    void expects_a_reply_that_never_comes(Homeserver hs) throws Exception {
        var alice = hs.user("@alice:test");
        String room = alice.createRoom();
        alice.send(room, "!weather Paris");
        Http.whoami(hs, alice.accessToken());
        assertThat(hs).eventually(Duration.ofMillis(200)).room(room).timeline()
                .containsMessageFrom("@alice:test", "Paris: sunny");
    }
}
