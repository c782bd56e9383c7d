package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two classes whose tests wait for each other, so a passing run proves they overlapped. */
public final class ParallelScenarios {
    /** Set by the driving test before each run. */
    public static volatile CountDownLatch bothRunning;
    public static final Set<Integer> PORTS = ConcurrentHashMap.newKeySet();
    public static final Set<String> FIRST_ROOMS = ConcurrentHashMap.newKeySet();

    private ParallelScenarios() {}

    static void overlap(Homeserver hs) throws InterruptedException {
        PORTS.add(hs.port());
        FIRST_ROOMS.add(hs.user("@alice:test").createRoom());
        bothRunning.countDown();
        assertThat(bothRunning.await(20, TimeUnit.SECONDS)).as("the other class ran at the same time").isTrue();
        assertThat(hs.rooms()).hasSize(1);
    }

    /** One side. */
    @ExtendWith(FakeHomeserver.class)
    public static class Left {
        @Test
        void overlaps(Homeserver hs) throws InterruptedException {
            overlap(hs);
        }
    }

    /** The other side. */
    @ExtendWith(FakeHomeserver.class)
    public static class Right {
        @Test
        void overlaps(Homeserver hs) throws InterruptedException {
            overlap(hs);
        }
    }
}
