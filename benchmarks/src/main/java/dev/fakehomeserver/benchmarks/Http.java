package dev.fakehomeserver.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The measuring side's HTTP: one GET over a fresh socket, read up to the status line. The same few bytes for every
 * server measured, so the client's cost is the same in a figure and in its ceiling.
 */
final class Http {
    static final String VERSIONS = "/_matrix/client/versions";

    private Http() {}

    /** The status of {@code GET path}, or -1 when nothing answers (refused, reset, timed out). */
    static int get(int port, String path, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    return -1;
                }
                n += r;
            }
            // "HTTP/1.1 200"
            return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Fails unless {@code GET path} answers 200. */
    static void expectOk(int port, String path) {
        int status = get(port, path, 5000);
        if (status != 200) {
            throw new IllegalStateException("GET " + path + " on port " + port + " answered " + status);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
