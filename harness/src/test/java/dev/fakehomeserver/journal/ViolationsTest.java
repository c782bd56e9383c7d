package dev.fakehomeserver.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViolationsTest {
    private final Registration weather = TestRegistrations.weather();

    @Test
    void collects_refused_requests_as_violations_with_a_readable_line() {
        try (Homeserver hs = Homeserver.builder().registration(weather).start()) {
            TestClient c = new TestClient(hs.url());
            c.post("/_matrix/client/v3/register").token(weather.asToken())
                    .json(Map.of("type", "m.login.application_service", "username", "alice")).send();
            c.get("/_matrix/client/v3/account/whoami").token("wrong").send();
            c.get("/_matrix/client/versions").send();

            assertThat(hs.violations()).extracting(Violation::errcode)
                    .containsExactly("M_EXCLUSIVE", "M_UNKNOWN_TOKEN");
            assertThat(hs.violations().get(0).toString())
                    .startsWith("#1 POST /register (").contains(") -> 400 M_EXCLUSIVE: ");
        }
    }

    @Test
    void leaves_out_expected_and_allowed_violations_until_reset() {
        try (Homeserver hs = Homeserver.builder().start()) {
            TestClient c = new TestClient(hs.url());
            c.get("/_matrix/client/v3/account/whoami").token("wrong").send();
            c.get("/_matrix/client/v3/nonsense").send();

            hs.allowViolation("M_UNKNOWN_TOKEN");
            assertThat(hs.unexpectedViolations()).extracting(Violation::errcode).containsExactly("M_UNRECOGNIZED");
            hs.allowViolation(v -> v.status() == 404);
            assertThat(hs.unexpectedViolations()).isEmpty();

            hs.reset();
            c.get("/_matrix/client/v3/nonsense").send();
            assertThat(hs.unexpectedViolations()).hasSize(1);
            hs.expectViolations();
            assertThat(hs.unexpectedViolations()).isEmpty();
        }
    }
}
