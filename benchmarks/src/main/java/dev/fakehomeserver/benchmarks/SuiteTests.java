package dev.fakehomeserver.benchmarks;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.junit5.FakeHomeserver;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The suite {@link Suite} runs: a test class as a user writes one, with the extension's per-class server reset
 * before each test, and each test one scenario in a room of its own (the room's set-up counts as the scenario's). Not run by {@code mvn verify} (this module
 * has no tests; the class lives in main so the benchmark can launch it).
 */
class SuiteTests {
    static final int TESTS = 1000;

    @RegisterExtension
    static final FakeHomeserver HS = FakeHomeserver.builder().registration(Suite.registration).build();

    @RepeatedTest(TESTS)
    void bot_answers(Homeserver hs, RepetitionInfo rep) {
        Suite.bot.target(hs.url(), Suite.registration.asToken());
        long t0 = System.nanoTime();
        Actor alice = hs.user("@alice:test");
        String room = Scenario.room(hs);
        Scenario.once(hs, alice, room, "ping " + rep.getCurrentRepetition());
        Suite.scenarioNanos = System.nanoTime() - t0;
    }
}
