package dev.fakehomeserver.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Namespace;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform's managed bridges and the namespace conflicts they cause (docs/platform.md, rule 2). */
class ManagedBridgesTest {
    @Test
    void the_managed_bridges_are_there_with_the_namespaces_they_claim() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).start()) {
            assertThat(hs.registration("telegram").users()).containsExactly(new Namespace("@telegram_.*:test$", true));
            assertThat(hs.registration("telegram").aliases()).containsExactly(new Namespace("#telegram_.*:test$", true));
            assertThat(hs.registration("telegram").senderUserId("test")).isEqualTo("@telegrambot:test");
            assertThat(hs.registration("slack").users()).containsExactly(new Namespace("@slack_.*:test$", true));
            assertThat(hs.registration("discord").users()).containsExactly(new Namespace("@_discord_.*:test$", true));
            assertThat(hs.registration("discord").aliases()).containsExactly(new Namespace("#_discord_.*:test$", true));
            assertThat(hs.registration("discord").url()).isNull();
        }
    }

    @Test
    void the_bridges_regexes_escape_a_server_name_with_dots() {
        try (Homeserver hs = Homeserver.builder().serverName("your-name.meldry.com").hostedPlatform(Plan.PRO).start()) {
            assertThat(hs.registration("slack").users().get(0).regex()).isEqualTo("@slack_.*:your-name\\.meldry\\.com$");
        }
    }

    @Test
    void overlapping_the_managed_telegram_bridge_is_refused_as_a_namespace_conflict_naming_the_bridge() {
        Registration mine = Registration.builder("mytg").senderLocalpart("mytgbot").source("mytg.yaml")
                .users("@telegram_.*:test$", true).build();
        assertThatThrownBy(() -> Homeserver.builder().hostedPlatform(Plan.PRO).registration(mine).start())
                .isInstanceOf(RegistrationException.class)
                .hasMessage("namespace conflict: exclusive users regex '@telegram_.*:test$' of 'mytg' (mytg.yaml) "
                        + "overlaps exclusive users regex '@telegram_.*:test$' of 'telegram' (the platform's managed "
                        + "Telegram bridge): both match '@telegram_:test'. Narrow your regex: 'telegram' belongs to "
                        + "the platform.");
    }

    @Test
    void a_registration_added_later_that_overlaps_slack_is_refused_too() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).start()) {
            Registration mine = Registration.builder("myslack").senderLocalpart("myslackbot")
                    .users("@slack_.*", true).build();
            assertThatThrownBy(() -> hs.addRegistration(mine)).hasMessageStartingWith("namespace conflict:")
                    .hasMessageContaining("of 'slack' (the platform's managed Slack bridge)");
        }
    }

    @Test
    void overlapping_a_bridge_is_refused_even_with_the_conflict_check_switched_off() {
        Registration mine = Registration.builder("dc").senderLocalpart("dcbot").aliases("#_discord_.*", true).build();
        assertThatThrownBy(() -> Homeserver.builder().hostedPlatform(Plan.PRO).checkNamespaceConflicts(false)
                .registration(mine).start()).hasMessageContaining("of 'discord' (the platform's managed Discord bridge)");
    }

    @Test
    void the_bridges_do_not_count_against_pro_and_a_narrow_namespace_beside_them_is_fine() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registration(TestRegistrations.weather())
                .start()) {
            assertThat(hs.registrations()).extracting(Registration::id)
                    .containsExactly("telegram", "slack", "discord", "weather");
        }
    }

    @Test
    void my_appservice_cannot_create_a_user_in_a_bridges_namespace() {
        Registration weather = TestRegistrations.weather();
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registration(weather).start()) {
            hs.allowViolation("M_EXCLUSIVE");
            TestClient.Reply r = new TestClient(hs.url()).post("/_matrix/client/v3/register").token(weather.asToken())
                    .json(Map.of("type", "m.login.application_service", "username", "telegram_bob")).send();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errcode()).isEqualTo("M_EXCLUSIVE");
        }
    }

    @Test
    void an_ordinary_user_cannot_register_a_name_a_bridge_claims() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).start()) {
            hs.allowViolation("M_EXCLUSIVE");
            TestClient.Reply r = new TestClient(hs.url()).post("/_matrix/client/v3/register")
                    .json(Map.of("username", "slack_mallory", "password", "pw-0123456789",
                            "auth", Map.of("type", "m.login.dummy"))).send();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errcode()).isEqualTo("M_EXCLUSIVE");
        }
    }

    @Test
    void the_bridges_cannot_be_removed_and_reusing_a_bridges_id_is_refused() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.BUSINESS).start()) {
            assertThatThrownBy(() -> hs.removeRegistration("telegram"))
                    .hasMessage("'telegram' is a managed bridge of the platform; only appservices you registered "
                            + "yourself can be removed");
            assertThatThrownBy(() -> hs.addRegistration(Registration.builder("slack").senderLocalpart("x")
                    .users("@x_.*:test$", true).build()))
                    .hasMessageStartingWith("Cannot reuse ID across application services: slack");
        }
    }

    @Test
    void the_bridges_are_not_linted() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).start()) {
            assertThat(hs.lint()).isEmpty();
        }
    }
}
