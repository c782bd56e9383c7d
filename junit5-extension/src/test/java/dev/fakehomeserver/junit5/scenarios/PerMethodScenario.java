package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lifecycle from the configuration parameter: run with fakehomeserver.lifecycle=per_method. */
@ExtendWith(FakeHomeserver.class)
public class PerMethodScenario {
    public static final Set<Homeserver> SEEN = ConcurrentHashMap.newKeySet();

    @RepeatedTest(3)
    void gets_a_fresh_server(Homeserver hs) {
        assertThat(SEEN.add(hs)).isTrue();
    }
}
