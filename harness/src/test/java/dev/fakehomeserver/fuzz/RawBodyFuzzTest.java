package dev.fakehomeserver.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes request bodies and their framing over a raw socket, where {@link ClientApiFuzzTest}'s JDK client always
 * frames them well: chunked bodies whose chunk sizes, extensions and line ends are the input's, and the JSON
 * shapes of issue 17 (deep nesting, integers of thousands of digits, unicode escapes such as lone surrogates)
 * into routes that read JSON. Whatever comes in, the fake answers below 500 with a Matrix error (broken chunk
 * framing 400, as Synapse's bare 400), or, for a verbatim chunked body that ends before its framing does,
 * closes the connection without a byte once the client is gone; and {@code /versions} is answered after every
 * input.
 *
 * <p>The input: its first byte picks the route, its second the framing (0 Content-Length, 1 chunked in pieces
 * of the sizes the fake should expect, 2 the rest verbatim as a chunked body, so the framing is the input's),
 * and the rest is the body. The committed corpus ({@code RawBodyFuzzTestInputs/}) names each case.
 */
class RawBodyFuzzTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Homeserver hs;
    private static List<String[]> routes;

    @BeforeAll
    static void start() {
        hs = Homeserver.builder().start();
    }

    @AfterAll
    static void stop() {
        hs.close();
    }

    /** Routes that read a JSON body: method and path, for a fresh world of alice, a v10 room and a v5 room. */
    private static List<String[]> routes(Actor alice, String room10, String room5, long n) {
        String user = alice.userId();
        return List.of(
                new String[] {"PUT", "/_matrix/client/v3/rooms/" + room10 + "/send/m.room.message/f" + n},
                new String[] {"PUT", "/_matrix/client/v3/rooms/" + room5 + "/send/m.room.message/f" + n},
                new String[] {"PUT", "/_matrix/client/v3/rooms/" + room5 + "/state/m.room.power_levels/"},
                new String[] {"PUT", "/_matrix/client/v3/user/" + user + "/account_data/m.fuzz"},
                new String[] {"POST", "/_matrix/client/v3/createRoom"},
                new String[] {"PUT", "/_matrix/client/v3/rooms/" + room10 + "/typing/" + user},
                new String[] {"POST", "/_matrix/client/v3/user/" + user + "/filter"});
    }

    @FuzzTest(maxDuration = "3m")
    @DictionaryFile(resourcePath = "raw-body.dict")
    void answers_any_body_and_framing_below_500_or_closes_cleanly(byte[] input) throws IOException {
        // Loopback only: the test's own connections (the fake names itself localhost in places).
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        if (input.length < 2) {
            return;
        }
        hs.reset();
        Actor alice = hs.user("@alice:test");
        String room10 = alice.createRoom();
        String room5 = roomV5(alice); // a room version without canonical JSON
        List<String[]> all = routes(alice, room10, room5, input.length);
        String[] route = all.get(Byte.toUnsignedInt(input[0]) % all.size());
        int framing = Byte.toUnsignedInt(input[1]) % 3;
        byte[] body = Arrays.copyOfRange(input, 2, input.length);

        String head = route[0] + " " + route[1] + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + alice.accessToken() + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + (framing == 0 ? "Content-Length: " + body.length : "Transfer-Encoding: chunked") + "\r\n\r\n";
        String answer = exchange(head.getBytes(StandardCharsets.US_ASCII), framing == 1 ? chunked(body) : body);
        String what = String.join(" ", route) + " framing " + framing + " -> " + answer;

        if (answer.isEmpty()) {
            assertThat(framing).as("only a body whose framing never ends may close without an answer: %s", what)
                    .isEqualTo(2);
        } else {
            assertThat(answer).as(what).startsWith("HTTP/1.1 ");
            int status = Integer.parseInt(answer.substring(9, 12));
            assertThat(status).as(what).isBetween(200, 499);
            if (status >= 400) {
                JsonNode json = MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                assertThat(json.path("errcode").isTextual()).as(what).isTrue();
            }
        }
        String versions = exchange("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII), new byte[0]);
        assertThat(versions).as("/versions after " + what).startsWith("HTTP/1.1 200");
    }

    private static String roomV5(Actor alice) throws IOException {
        byte[] body = "{\"room_version\":\"5\"}".getBytes(StandardCharsets.US_ASCII);
        String answer = exchange(("POST /_matrix/client/v3/createRoom HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + alice.accessToken() + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
        return MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("room_id").asText();
    }

    /** The body in chunks of 1, 2, 3, ... bytes, well framed. */
    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        for (int size = 1; at < body.length; size++) {
            int n = Math.min(size, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += n;
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * Writes head and body on a fresh connection, then half-closes it (so a body cut short ends at once instead
     * of waiting for the server's stalled-body timeout), and returns everything the server sent until it closed.
     */
    private static String exchange(byte[] head, byte[] body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", hs.port()), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(head);
                out.write(body);
                out.flush();
                s.shutdownOutput();
            } catch (SocketException closedMidway) {
                // the server answered (or closed) before it read everything: what it sent is what counts
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    got.write(buf, 0, n);
                }
            } catch (SocketException reset) {
                // a reset after the answer: what came is the answer
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
