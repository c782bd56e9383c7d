package dev.fakehomeserver.junit5.scenarios;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire: fails with its fake kept open. */
@ExtendWith(FakeHomeserver.class)
public class KeepOpenScenario {
    /** The failing test's server, for the outer test to look at while it is kept open. */
    public static volatile CompletableFuture<Homeserver> server = new CompletableFuture<>();

    @Test
    void fails(Homeserver hs) {
        hs.user("@alice:test").createRoom();
        server.complete(hs);
        throw new AssertionError("the bot never answered");
    }
}
