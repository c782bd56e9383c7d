package dev.fakehomeserver.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The banner's warning when {@code --bind} is not loopback (issue 17, item 14): none on loopback, a warning with a
 * control token, a loud one without. The non-loopback cases are asked of the function the banner prints, so the
 * test never listens beyond loopback.
 */
class BannerWarningTest {
    @Test
    void a_loopback_bind_prints_no_warning_even_without_a_token() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<Homeserver> started = new AtomicReference<>();
        int code = StandaloneMain.run(new String[] {"--port", "0", "--bind", "127.0.0.1", "--no-control-token"},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), started::set);
        try {
            assertThat(code).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("listening on").doesNotContain("WARNING");
        } finally {
            started.get().close();
        }
        assertThat(StandaloneMain.exposureWarning("::1", true)).isEmpty();
        assertThat(StandaloneMain.exposureWarning("localhost", true)).isEmpty();
    }

    @Test
    void a_non_loopback_bind_warns_and_louder_without_a_control_token() {
        assertThat(StandaloneMain.exposureWarning("0.0.0.0", false)).singleElement().asString()
                .contains("WARNING: bound to 0.0.0.0, not loopback").contains("control token");
        assertThat(String.join("\n", StandaloneMain.exposureWarning("0.0.0.0", true)))
                .contains("!!! WARNING").contains("--no-control-token").contains("ANYONE");
        assertThat(StandaloneMain.exposureWarning("192.0.2.7", true)).hasSize(3);
    }
}
