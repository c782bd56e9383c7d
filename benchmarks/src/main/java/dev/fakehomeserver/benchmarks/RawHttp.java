package dev.fakehomeserver.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection on a plain blocking socket, driven by the calling thread: a request is
 * written, its answer read later. For figures that must not count the client's own threads (the JDK client's
 * {@code sendAsync} starts a thread per answer on a 2-core machine, where the common pool has one worker).
 * Reads answers with a {@code Content-Length}, which is how the fake answers.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    /** A status and a body. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    RawHttp(int port) throws IOException {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(60_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Writes {@code GET pathAndQuery} with a bearer token; the answer is read by {@link #read()}. */
    void get(String pathAndQuery, String token) throws IOException {
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one answer (blocking). */
    Answer read() throws IOException {
        String head = head();
        int status = Integer.parseInt(head.substring(9, 12));
        int length = -1;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length: " + head);
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("the connection closed inside the body");
        }
        return new Answer(status, body);
    }

    private String head() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0; // how much of \r\n\r\n has been seen
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed before the answer's head ended: " + b);
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (c == '\r' ? 1 : 0);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
