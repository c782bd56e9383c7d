package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import dev.fakehomeserver.junit5.FakeHomeserverConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(serverName = "outer")
public class NestedScenario {
    static Homeserver outer;

    @BeforeAll
    static void remember(Homeserver hs) {
        outer = hs;
    }

    @Test
    void outer_test(Homeserver hs) {
        assertThat(hs).isSameAs(outer);
    }

    @Nested
    class Inner {
        @Test
        void shares_the_outer_server(Homeserver hs) {
            assertThat(hs).isSameAs(outer);
            assertThat(hs.serverName()).isEqualTo("outer");
        }

        @Nested
        class Deeper {
            @Test
            void still_shares_it(Homeserver hs) {
                assertThat(hs).isSameAs(outer);
            }
        }
    }
}
