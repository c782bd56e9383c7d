package dev.fakehomeserver.junit5.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.junit5.FakeHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Run by FakeHomeserverExtensionTest through the EngineTestKit, not by surefire. */
@ExtendWith(FakeHomeserver.class)
public class ViolationScenario {
    @Test
    void uses_a_bad_token(Homeserver hs) throws Exception {
        assertThat(Http.whoami(hs, "nope")).isEqualTo(401);
    }

    @Test
    void uses_a_bad_token_on_purpose(Homeserver hs) throws Exception {
        hs.allowViolation("M_UNKNOWN_TOKEN");
        assertThat(Http.whoami(hs, "nope")).isEqualTo(401);
    }
}
