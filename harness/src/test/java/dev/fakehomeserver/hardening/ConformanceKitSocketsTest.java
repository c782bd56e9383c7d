package dev.fakehomeserver.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.conformance.AppserviceConformance;
import dev.fakehomeserver.conformance.ConformanceReport;
import dev.fakehomeserver.conformance.Exchange;
import dev.fakehomeserver.hardening.HostileAppservice.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's own requests (no token, a wrong one, unknown paths) close their connections however the
 * appservice answers, as the pusher's do (issue 17, item 9): against an appservice that answers every request
 * with a garbage status line, the kit's run leaves no socket open in this process. On the JDK's HttpClient, which
 * the kit's sender used before, each garbage answer left one open for good.
 */
class ConformanceKitSocketsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void holds_no_socket_after_a_run_against_an_appservice_that_answers_garbage() throws Exception {
        assumeTrue(OpenSockets.countable(), "needs Linux's /proc to count sockets");
        Shape[] garbage = new Shape[500];
        Arrays.fill(garbage, Shape.GARBAGE_STATUS);
        try (HostileAppservice as = HostileAppservice.start(garbage);
             Homeserver hs = Homeserver.builder().registration(Registration.builder("hostile").url(as.url())
                     .senderLocalpart("hostilebot").users("@hostile_.*:test", true).build())
                     .appserviceTimeout(Duration.ofSeconds(2)).start()) {
            ConformanceReport report = AppserviceConformance.of(hs, "hostile").quietPeriod(Duration.ofMillis(50))
                    .reactionTimeout(Duration.ofMillis(200)).requestTimeout(Duration.ofSeconds(2)).run();

            List<Exchange> kits = report.results().stream().flatMap(r -> r.exchanges().stream())
                    .filter(x -> x.sender().equals("kit")).toList();
            assertThat(kits).as(report.table()).isNotEmpty()
                    .allSatisfy(x -> assertThat(x.error()).as(x.toString()).startsWith("ProtocolException"));
            assertThat(hs.waitUntil(() -> socketsTo(as) == 0, WAIT))
                    .as("sockets of this process to the appservice after %d garbage answers to the kit: %d",
                            kits.size(), socketsTo(as)).isTrue();
            for (HostileAppservice.Connection c : as.connections()) {
                assertThat(c.awaitClosed()).as("the connection of %s was closed", c.requestLine()).isTrue();
            }
        }
    }

    private static int socketsTo(HostileAppservice as) {
        try {
            return OpenSockets.to(as.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
