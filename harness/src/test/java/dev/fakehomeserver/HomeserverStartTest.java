package dev.fakehomeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.testing.TestRegistrations;
import dev.fakehomeserver.testing.TestClient;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class HomeserverStartTest {
    private static Registration weather() {
        return TestRegistrations.weather();
    }

    @Test
    void refuses_two_registrations_with_the_same_id_at_start() {
        assertThatThrownBy(() -> Homeserver.builder().registration(weather()).registration(weather()).start())
                .isInstanceOf(RegistrationException.class)
                .hasMessageContaining("Cannot reuse ID across application services: weather");
    }

    @Test
    void refuses_overlapping_exclusive_namespaces_as_a_namespace_conflict() {
        Registration other = Registration.builder("other").users("@weather_.*", true).build();
        assertThatThrownBy(() -> Homeserver.builder().registration(weather()).registration(other).start())
                .hasMessageContaining("namespace conflict").hasMessageContaining("weather").hasMessageContaining("other");
    }

    @Test
    void accepts_overlapping_namespaces_when_the_platform_check_is_switched_off() {
        Registration other = Registration.builder("other").users("@weather_.*", true).build();
        try (Homeserver hs = Homeserver.builder().registration(weather()).registration(other)
                .checkNamespaceConflicts(false).start()) {
            assertThat(hs.registrations()).extracting(Registration::id).containsExactly("weather", "other");
        }
    }

    @Test
    void reports_lint_findings_without_refusing_to_start() {
        Registration loose = Registration.builder("loose").users("@.*", true).rateLimited(false).build();
        try (Homeserver hs = Homeserver.builder().registration(loose).start()) {
            assertThat(hs.lint()).extracting(LintFinding::registrationId).contains("loose");
            assertThat(hs.lint()).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void many_servers_run_at_once_each_on_its_own_port_and_close_frees_the_port() throws IOException {
        Homeserver a = Homeserver.builder().start();
        Homeserver b = Homeserver.builder().start();
        assertThat(a.port()).isNotEqualTo(b.port());
        assertThat(new TestClient(a.url()).get("/_matrix/client/versions").send().status()).isEqualTo(200);
        int port = a.port();
        a.close();
        b.close();
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void url_points_at_loopback_with_the_chosen_port_and_the_server_name_defaults_to_test() {
        try (Homeserver hs = Homeserver.builder().start()) {
            assertThat(hs.url()).isEqualTo("http://127.0.0.1:" + hs.port());
            assertThat(hs.serverName()).isEqualTo("test");
        }
    }

    @Test
    void the_url_of_an_appservice_can_change_after_loading() {
        try (Homeserver hs = Homeserver.builder().registration(weather()).start()) {
            hs.setAppserviceUrl("weather", "http://127.0.0.1:9/");
            assertThat(hs.registration("weather").url()).isEqualTo("http://127.0.0.1:9");
            assertThatThrownBy(() -> hs.setAppserviceUrl("nope", "http://x")).hasMessageContaining("weather");
        }
    }

    @Test
    void registers_and_removes_an_appservice_at_runtime_with_the_checks_of_start() {
        try (Homeserver hs = Homeserver.builder().registration(weather()).start()) {
            Registration bridge = Registration.builder("bridge").users("@bridge_.*:test", true).build();
            hs.addRegistration(bridge);
            assertThat(hs.registrations()).extracting(Registration::id).containsExactly("weather", "bridge");
            assertThatThrownBy(() -> hs.addRegistration(Registration.builder("other").users("@weather_x.*", true).build()))
                    .isInstanceOf(RegistrationException.class).hasMessageContaining("namespace conflict");

            hs.removeRegistration("bridge");

            assertThat(new TestClient(hs.url()).get("/_matrix/client/v3/account/whoami").token(bridge.asToken()).send()
                    .errcode()).isEqualTo("M_UNKNOWN_TOKEN");
            assertThatThrownBy(() -> hs.removeRegistration("bridge")).isInstanceOf(java.util.NoSuchElementException.class);
        }
    }
}
