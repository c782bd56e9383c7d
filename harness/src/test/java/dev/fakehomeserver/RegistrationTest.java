package dev.fakehomeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public loading entry points, as a user of the harness calls them. */
class RegistrationTest {
    private static final String MINIMAL = """
            id: bridge
            url: null
            as_token: a
            hs_token: h
            sender_localpart: bridgebot
            namespaces: {}
            """;

    @Test
    void loads_from_the_classpath() {
        Registration r = Registration.fromClasspath("registrations/weather.yaml");

        assertThat(r.id()).isEqualTo("weather");
        assertThat(r.senderUserId("test")).isEqualTo("@weatherbot:test");
    }

    @Test
    void loads_from_a_path(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bridge.yaml"), MINIMAL);

        assertThat(Registration.fromPath(file).source()).isEqualTo(file.toString());
    }

    @Test
    void loads_from_yaml_text_with_a_default_source_name() {
        Registration r = Registration.fromYaml(MINIMAL);

        assertThat(r.source()).isEqualTo("<string>");
        assertThat(r.url()).isNull();
        assertThat(r.rateLimited()).isTrue();
    }

    @Test
    void bad_yaml_text_fails_with_the_given_name_field_and_line() {
        RegistrationException e = catchThrowableOfType(RegistrationException.class,
                () -> Registration.fromYaml(MINIMAL.replace("namespaces: {}", "namespaces: {users: [{regex: '@b_.*', exclusive: 1}]}"),
                        "bridge.yaml"));

        assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bridge.yaml: namespaces.users[0].exclusive (line 6): must be true or false, got the number 1");
    }

    @Test
    void registration_exception_message_leaves_out_an_unknown_field_and_line() {
        RegistrationException e = RegistrationException.at("a.yaml", "", 0, "no such file");

        assertThat(e).hasMessage("a.yaml: no such file");
        assertThat(e.field()).isEmpty();
        assertThat(e.line()).isZero();
    }
}
