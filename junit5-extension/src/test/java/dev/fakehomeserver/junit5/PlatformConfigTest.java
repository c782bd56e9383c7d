package dev.fakehomeserver.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.platform.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @FakeHomeserverConfig(platform = "pro")} turns the hosting platform's rules on. */
@ExtendWith(FakeHomeserver.class)
@FakeHomeserverConfig(platform = "pro")
class PlatformConfigTest {
    @Test
    void the_annotation_turns_the_platform_on_with_its_managed_bridges(Homeserver hs) {
        assertThat(hs.hostedPlatform()).contains(Plan.PRO);
        assertThat(hs.registrations()).extracting(Registration::id).contains("telegram", "slack", "discord");
    }
}
