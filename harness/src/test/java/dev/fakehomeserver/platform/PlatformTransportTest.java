package dev.fakehomeserver.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.testing.ScriptedAppservice;
import dev.fakehomeserver.testing.TestRegistrations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The platform's transport (docs/platform.md, rule 4): the hs_token both ways on every push; rate_limited true. */
class PlatformTransportTest {
    @Test
    void every_push_carries_the_hs_token_in_the_query_string_as_the_platform_documents_and_in_the_header() {
        try (ScriptedAppservice as = ScriptedAppservice.start();
             Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO)
                     .registration(TestRegistrations.weather(as.url())).start()) {
            hs.user("@alice:test").createRoom(RoomOptions.create().invite("@weatherbot:test"));
            assertThat(hs.awaitAppserviceIdle("weather", Duration.ofSeconds(10))).isTrue();
            String hsToken = hs.registration("weather").hsToken();
            assertThat(as.transactions()).isNotEmpty().allSatisfy(req -> {
                assertThat(req.query()).isEqualTo("access_token=" + hsToken);
                assertThat(req.header("Authorization")).isEqualTo("Bearer " + hsToken);
            });
        }
    }

    @Test
    void a_registration_that_leaves_out_rate_limited_is_rate_limited() {
        String yaml = String.join("\n", "id: weather", "url: null", "as_token: as_weather_0123456789",
                "hs_token: hs_weather_0123456789", "sender_localpart: weatherbot", "namespaces:", "  users:",
                "    - exclusive: true", "      regex: '@weather_.*:test$'", "");
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registrationYaml(yaml).start()) {
            assertThat(hs.registration("weather").rateLimited()).isTrue();
            assertThat(hs.lint()).extracting(f -> f.field()).doesNotContain("rate_limited");
        }
        Registration loose = TestRegistrations.weatherBuilder().rateLimited(false).build();
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registration(loose).start()) {
            assertThat(hs.lint()).extracting(f -> f.field()).contains("rate_limited");
        }
    }
}
