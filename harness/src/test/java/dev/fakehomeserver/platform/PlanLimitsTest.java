package dev.fakehomeserver.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestRegistrations;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plans' limits on custom appservices, as a user of the platform meets them (docs/platform.md, rule 1). */
class PlanLimitsTest {
    private static Registration second() {
        return Registration.builder("reminders").senderLocalpart("remindbot").users("@remind_.*:test$", true).build();
    }

    private static TestClient.Reply registerGhost(Homeserver hs, Registration reg, String localpart) {
        return new TestClient(hs.url()).post("/_matrix/client/v3/register").token(reg.asToken())
                .json(Map.of("type", "m.login.application_service", "username", localpart)).send();
    }

    @Test
    void my_bridges_registration_is_accepted_on_pro_and_its_as_token_works() {
        Registration weather = TestRegistrations.weather();
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registration(weather).start()) {
            assertThat(hs.hostedPlatform()).contains(Plan.PRO);
            TestClient.Reply r = registerGhost(hs, weather, "weather_paris");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.str("user_id")).isEqualTo("@weather_paris:test");
        }
    }

    @Test
    void a_second_one_is_refused_on_pro_at_start_naming_the_plan_and_the_limit() {
        assertThatThrownBy(() -> Homeserver.builder().hostedPlatform(Plan.PRO)
                .registration(TestRegistrations.weather()).registration(second()).start())
                .isInstanceOf(RegistrationException.class)
                .hasMessageStartingWith("plan Pro allows 1 custom appservice; 'reminders' (<code>) would be the 2nd,"
                        + " after 'weather' (<code>)")
                .hasMessageContaining("\"Pro — 1 custom appservice.\"")
                .hasMessageContaining("Managed bridges (discord, slack, telegram) don't count against this quota");
    }

    @Test
    void a_second_one_is_refused_on_pro_while_running_and_the_first_keeps_working() {
        Registration weather = TestRegistrations.weather();
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registration(weather).start()) {
            assertThatThrownBy(() -> hs.addRegistration(second())).isInstanceOf(RegistrationException.class)
                    .hasMessageStartingWith("plan Pro allows 1 custom appservice; 'reminders'");
            assertThat(hs.registrations()).extracting(Registration::id).doesNotContain("reminders");
            assertThat(registerGhost(hs, weather, "weather_rome").status()).isEqualTo(200);
        }
    }

    @Test
    void a_second_one_is_refused_on_pro_through_the_control_api() {
        try (Homeserver hs = Homeserver.builder().hostedPlatform(Plan.PRO).registration(TestRegistrations.weather())
                .controlApi("t").start()) {
            String yaml = String.join("\n", "id: reminders", "url: null", "as_token: as_reminders_0123456789",
                    "hs_token: hs_reminders_0123456789", "sender_localpart: remindbot", "namespaces:", "  users:",
                    "    - exclusive: true", "      regex: '@remind_.*:test$'", "");
            TestClient.Reply r = new TestClient(hs.url()).post("/_fakehs/v1/appservices").token("t").json(yaml).send();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errcode()).isEqualTo("M_INVALID_PARAM");
            assertThat(r.error()).startsWith("plan Pro allows 1 custom appservice; 'reminders' (control API "
                    + "registration) would be the 2nd");
        }
    }

    @Test
    void free_and_starter_allow_no_custom_appservice_but_start_with_the_managed_bridges() {
        for (Plan plan : new Plan[] {Plan.FREE, Plan.STARTER}) {
            assertThatThrownBy(() -> Homeserver.builder().hostedPlatform(plan)
                    .registration(TestRegistrations.weather()).start())
                    .hasMessageStartingWith("plan " + plan.displayName() + " allows no custom appservice; 'weather'"
                            + " (<code>) would be the 1st.")
                    .hasMessageContaining("\"Free / Starter — no custom appservices.\"");
            try (Homeserver hs = Homeserver.builder().hostedPlatform(plan).start()) {
                assertThat(hs.registrations()).extracting(Registration::id)
                        .containsExactly("telegram", "slack", "discord");
            }
        }
    }

    @Test
    void business_allows_any_number_and_the_managed_bridges_never_count() {
        var b = Homeserver.builder().hostedPlatform(Plan.BUSINESS);
        for (int i = 0; i < 5; i++) {
            b.registration(Registration.builder("as" + i).senderLocalpart("bot" + i)
                    .users("@as" + i + "_.*:test$", true).build());
        }
        try (Homeserver hs = b.start()) {
            assertThat(hs.registrations()).hasSize(8);
            Registration last = hs.registration("as4");
            assertThat(registerGhost(hs, last, "as4_x").status()).isEqualTo(200);
        }
    }

    @Test
    void without_the_platform_there_is_no_limit_and_no_bridge() {
        try (Homeserver hs = Homeserver.builder().registration(TestRegistrations.weather()).registration(second())
                .start()) {
            assertThat(hs.hostedPlatform()).isEmpty();
            assertThat(hs.registrations()).extracting(Registration::id).containsExactly("weather", "reminders");
        }
    }

    @Test
    void plans_parse_by_name_in_any_case_and_an_unknown_name_lists_them() {
        assertThat(Plan.parse("pro")).isEqualTo(Plan.PRO);
        assertThat(Plan.parse(" Business ")).isEqualTo(Plan.BUSINESS);
        assertThatThrownBy(() -> Plan.parse("gold"))
                .hasMessage("No plan 'gold'; the platform's plans are [free, starter, pro, business]");
    }
}
