package dev.fakehomeserver.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.TestAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connections that never finish cannot hold the server (issue 17, item 5): a connection that sends no request,
 * a request head that never ends and a body shorter than its Content-Length are closed after the head or idle
 * timeout (10 s and 15 s by default; a few hundred milliseconds here, so the test waits for the close itself,
 * never for a fixed time). A held {@code /sync} long poll is not a stalled connection and is not cut.
 */
class ConnectionBoundsTest {
    private static final Duration HEAD = Duration.ofMillis(300);
    private static final Duration IDLE = Duration.ofMillis(500);

    private static Homeserver server() {
        HomeserverBuilder b = Homeserver.builder();
        return TestAccess.connectionTimeouts(b, HEAD, IDLE).start();
    }

    private static Socket open(Homeserver hs, String send) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", hs.port()), 5000);
        // Only a bound on a broken test: the server's close ends each read long before this.
        s.setSoTimeout(20_000);
        if (!send.isEmpty()) {
            s.getOutputStream().write(send.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
        return s;
    }

    /** Everything the server sends until it closes the connection; "[no close]" if it never does. */
    private static String untilClosed(Socket s) throws IOException {
        try (s) {
            return Wire.readUntilClose(s.getInputStream());
        }
    }

    @Test
    void closes_connections_that_send_no_request_or_never_finish_its_head() throws IOException {
        try (Homeserver hs = server()) {
            List<Socket> silent = new ArrayList<>();
            List<Socket> halfHead = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                silent.add(open(hs, ""));
                halfHead.add(open(hs, "GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\nX-Slow: "));
            }
            // While they hang, others are answered.
            assertThat(Wire.send("GET", hs.url() + "/_matrix/client/versions", null, null, null).status())
                    .isEqualTo(200);
            // Before the fix: open until the client gives up (the read below timed out after 20 s).
            for (Socket s : silent) {
                assertThat(untilClosed(s)).as("a connection that never sent a request").isEmpty();
            }
            for (Socket s : halfHead) {
                assertThat(untilClosed(s)).as("a request head that never ended").doesNotContain("[no close]");
            }
            assertThat(Wire.send("GET", hs.url() + "/_matrix/client/versions", null, null, null).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void does_not_wait_forever_for_a_body_shorter_than_its_content_length() throws IOException {
        try (Homeserver hs = server()) {
            Socket s = open(hs, "POST /_matrix/client/v3/createRoom HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer nobody\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                    + "{\"name\":");
            // Before the fix: no answer and no close, ever.
            assertThat(untilClosed(s)).doesNotContain("[no close]");
        }
    }

    @Test
    void a_sync_long_poll_held_longer_than_the_idle_timeout_is_answered_not_cut() {
        try (Homeserver hs = server()) {
            String token = hs.user("@alice:test").accessToken();
            long hold = IDLE.toMillis() * 3;
            String since = Wire.send("GET", hs.url() + "/_matrix/client/v3/sync?access_token=" + token, null, null,
                    null).json().path("next_batch").asText();
            Wire.Reply r = Wire.send("GET", hs.url() + "/_matrix/client/v3/sync?timeout=" + hold + "&since=" + since
                    + "&access_token=" + token, null, null, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("next_batch").asText()).isNotEmpty();
        }
    }

    @Test
    void keeps_answering_on_a_keep_alive_connection_used_within_the_idle_timeout() throws IOException {
        try (Homeserver hs = server(); Socket s = open(hs, "")) {
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                int length = Integer.parseInt(head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                        .findFirst().orElseThrow().substring(15).trim());
                in.readNBytes(length);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
