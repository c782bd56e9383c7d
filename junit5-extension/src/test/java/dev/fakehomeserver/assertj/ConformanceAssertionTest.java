package dev.fakehomeserver.assertj;

import static dev.fakehomeserver.assertj.HomeserverAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.VirtualClock;
import dev.fakehomeserver.conformance.Level;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code conformsTo}: the conformance kit as one assertion (the kit's own suite is in the harness). */
class ConformanceAssertionTest {
    @Test
    void conformsTo_fails_with_the_kits_table_on_an_appservice_that_accepts_anyone() throws Exception {
        try (LoopbackAppservice as = new LoopbackAppservice();
             Homeserver hs = as.weatherServer(new VirtualClock(Instant.parse("2030-01-01T00:00:00Z")))) {
            assertThatThrownBy(() -> assertThat(hs).appservice("weather").conformsTo(Level.MUST))
                    .hasMessageContaining("Appservice weather does not conform to MUST")
                    .hasMessageContaining("FAIL   MUST   auth.txn.no_token")
                    .hasMessageContaining("[no token]");
        }
    }
}
