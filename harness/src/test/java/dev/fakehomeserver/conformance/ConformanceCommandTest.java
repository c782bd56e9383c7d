package dev.fakehomeserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.conformance.TestAppservice.Breaks;
import dev.fakehomeserver.internal.cli.StandaloneMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone jar's {@code conformance} subcommand against an appservice listening on its own. */
class ConformanceCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private Run conformance(Breaks breaks) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) { // a free port for the fake, known to the appservice first
            port = s.getLocalPort();
        }
        try (TestAppservice as = new TestAppservice("http://127.0.0.1:" + port, "test", "probe", "as-token-cli",
                "hs-token-cli", breaks)) {
            Path reg = dir.resolve("probe.yaml");
            Files.writeString(reg, """
                    id: probe
                    url: %s
                    as_token: as-token-cli
                    hs_token: hs-token-cli
                    sender_localpart: probebot
                    namespaces:
                      users: [{exclusive: true, regex: '@probe_.*:test'}]
                      aliases: [{exclusive: true, regex: '#probe_.*:test'}]
                    """.formatted(as.url()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = StandaloneMain.run(new String[] {"conformance", "--registration", reg.toString(),
                    "--port", String.valueOf(port), "--probe", "probe", "--timeout", "5"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void prints_the_table_and_exits_0_when_every_must_passes() throws IOException {
        Run r = conformance(Breaks.NOTHING);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS   MUST   auth.txn.wrong_token", "§2.1 Authorisation",
                "sent: PUT /_matrix/app/v1/transactions/", "[wrong token in header]", "got:  403",
                "conforms to every MUST", "created in the homeserver");
    }

    @Test
    void exits_1_and_names_the_failing_check_when_a_must_fails() throws IOException {
        Run r = conformance(Breaks.WRONG_TOKEN_401_AUTH_FAILED);

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL   MUST   auth.txn.wrong_token", "AUTH_FAILED", "FAILS 4 MUST checks");
    }

    @Test
    void refuses_a_command_line_without_registration_with_exit_2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StandaloneMain.run(new String[] {"conformance"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--registration FILE is required");
    }
}
