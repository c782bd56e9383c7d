package dev.fakehomeserver.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {
    @Test
    void takes_values_after_a_space_or_an_equals_sign_and_lists_comma_separated_or_repeated() throws Exception {
        Flags f = Flags.parse(new String[] {"--port=0", "--server-name", "example", "--registration", "a.yaml,b.yaml",
                "--registration=c.yaml", "--verbose"}, Map.of());
        assertThat(f.intValue("--port")).isZero();
        assertThat(f.value("--server-name")).isEqualTo("example");
        assertThat(f.all("--registration")).containsExactly("a.yaml", "b.yaml", "c.yaml");
        assertThat(f.on("--verbose")).isTrue();
        assertThat(f.value("--bind")).isEqualTo("127.0.0.1");
    }

    @Test
    void falls_back_to_the_environment_and_the_command_line_wins() throws Exception {
        Flags f = Flags.parse(new String[] {"--port", "9"}, Map.of("FAKEHS_PORT", "7", "FAKEHS_BIND", "0.0.0.0",
                "FAKEHS_NO_CONTROL_TOKEN", "true", "FAKEHS_VERBOSE", "false"));
        assertThat(f.intValue("--port")).isEqualTo(9);
        assertThat(f.value("--bind")).isEqualTo("0.0.0.0");
        assertThat(f.on("--no-control-token")).isTrue();
        assertThat(f.on("--verbose")).isFalse();
    }

    @Test
    void refuses_a_missing_value_a_value_on_a_switch_and_a_switch_variable_that_is_not_a_boolean() {
        assertThatThrownBy(() -> Flags.parse(new String[] {"--port"}, Map.of()))
                .hasMessageContaining("--port").hasMessageContaining("PORT");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--verbose=yes"}, Map.of()))
                .hasMessageContaining("--verbose");
        assertThatThrownBy(() -> Flags.parse(new String[0], Map.of("FAKEHS_VERBOSE", "sometimes")))
                .hasMessageContaining("FAKEHS_VERBOSE").hasMessageContaining("sometimes");
    }

    @Test
    void help_names_every_flag_with_its_environment_variable() {
        for (Flags.Flag flag : Flags.TABLE) {
            assertThat(Flags.help()).contains(flag.name());
        }
        assertThat(Flags.help()).contains("FAKEHS_SERVER_NAME", "FAKEHS_NO_CONTROL_TOKEN");
    }
}
