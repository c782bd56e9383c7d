package dev.fakehomeserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.testing.TestClient;
import dev.fakehomeserver.testing.TestClient.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests are bounded: a body above its route's limit (12.5 MiB for JSON, the upload limit for media, 64 KiB
 * for an event) is refused with 413 {@code M_TOO_LARGE} before it is read into memory; a request line and headers above 64 KiB, or more than 100 headers, are refused
 * by the HTTP parser with 400, not buffered without end. Ordinary requests fit well inside both bounds.
 */
class RequestBoundsTest {
    private static Homeserver hs;
    private static TestClient c;

    @BeforeAll
    static void start() {
        hs = Homeserver.builder().maxUploadBytes(1024).start();
        c = new TestClient(hs.url());
    }

    @AfterAll
    static void stop() {
        hs.close();
    }

    @Test
    void refuses_a_body_above_the_bound_with_413_M_TOO_LARGE() {
        // A JSON route reads at most 12.5 MiB (Synapse's 200 events of 64 KiB)...
        String big = "{\"name\":\"" + "x".repeat(13 * 1024 * 1024) + "\"}";
        Reply r = c.post("/_matrix/client/v3/createRoom").token("whatever").json(big).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.errcode()).isEqualTo("M_TOO_LARGE");
        // ...an upload route the upload limit (1024 bytes here).
        Reply upload = c.post("/_matrix/media/v3/upload").token("whatever").json("\"" + "x".repeat(2048) + "\"")
                .send();
        assertThat(upload.status()).as(upload.toString()).isEqualTo(413);
        assertThat(upload.errcode()).isEqualTo("M_TOO_LARGE");
    }

    @Test
    void reads_a_body_inside_the_bound() {
        String fine = "{\"name\":\"" + "x".repeat(512 * 1024) + "\"}";
        Reply r = c.post("/_matrix/client/v3/createRoom").token("whatever").json(fine).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(401);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    }

    @Test
    void refuses_headers_above_64_KiB_with_400() throws IOException {
        String status = raw("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(80 * 1024)
                + "\r\n\r\n");
        assertThat(status).startsWith("HTTP/1.1 400");
    }

    @Test
    void refuses_more_than_100_headers_with_400() throws IOException {
        StringBuilder req = new StringBuilder("GET /_matrix/client/versions HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 150; i++) {
            req.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(raw(req.append("\r\n").toString())).startsWith("HTTP/1.1 400");
    }

    @Test
    void answers_a_request_with_a_long_query_inside_the_bound() throws IOException {
        String status = raw("GET /_matrix/client/versions?filter=" + "a".repeat(16 * 1024)
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(status).startsWith("HTTP/1.1 200");
    }

    /** Sends raw bytes (the JDK client refuses such headers itself) and returns the status line. */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", hs.port()), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before it read everything: the answer is what counts
            }
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\r') {
                line.append((char) b);
            }
            return line.toString();
        }
    }
}
