package dev.fakehomeserver.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An appservice that misbehaves at the HTTP level, one scripted behaviour per connection (then {@link Shape#OK}):
 * it stalls its answer body, trickles a chunked body without end, sends a garbage status line or a megabyte of
 * headers, or answers a huge body. Every connection answers with {@code Connection: close} semantics, and the appservice notes when
 * the homeserver closed a connection, so a test can assert that no failed exchange is left open.
 */
final class HostileAppservice implements AutoCloseable {
    /** What one connection does after reading the request. */
    enum Shape {
        /** 200 {@code {}}. */
        OK,
        /** Headers with Content-Length 100, one byte of body, then nothing. */
        STALL_BODY,
        /** A chunked 200 body, one space every 20 ms, without end. */
        TRICKLE,
        /** {@code HTTP/1.1 abc} and nothing more. */
        GARBAGE_STATUS,
        /** {@code 200 OK} and then one header of a megabyte, never finished. */
        HUGE_HEADERS,
        /** 200 with a 10 MB JSON body. */
        HUGE_BODY
    }

    /** One connection: the request line it carried and a latch the homeserver's close of it releases. */
    record Connection(String requestLine, Shape shape, CountDownLatch closedByHomeserver) {
        boolean awaitClosed() throws InterruptedException {
            return closedByHomeserver.await(20, TimeUnit.SECONDS);
        }
    }

    private final ServerSocket server;
    private final Deque<Shape> script;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private HostileAppservice(Shape... script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = new ArrayDeque<>(List.of(script));
        Thread t = new Thread(this::acceptLoop, "hostile-appservice");
        t.setDaemon(true);
        t.start();
    }

    static HostileAppservice start(Shape... script) {
        try {
            return new HostileAppservice(script);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Connection> connections() {
        return connections;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Shape shape;
                synchronized (script) {
                    shape = script.isEmpty() ? Shape.OK : script.poll();
                }
                Thread t = new Thread(() -> serve(s, shape), "hostile-appservice-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s, Shape shape) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head = readRequest(in);
            Connection c = new Connection(head.lines().findFirst().orElse(""), shape, new CountDownLatch(1));
            connections.add(c);
            switch (shape) {
                case OK -> answer(out, "{}".getBytes(StandardCharsets.US_ASCII));
                case STALL_BODY -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case TRICKLE -> trickle(out);
                case GARBAGE_STATUS -> {
                    out.write("HTTP/1.1 abc\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case HUGE_HEADERS -> {
                    try {
                        out.write(("HTTP/1.1 200 OK\r\nX-Filler: " + "a".repeat(1024 * 1024))
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException closedMidway) {
                        // the homeserver stopped reading at its limit and closed: seen below as the close
                    }
                }
                case HUGE_BODY -> answer(out, ("{\"filler\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            // Until the homeserver closes its end: a read of -1 (or a reset) is the close.
            s.setSoTimeout(0);
            try {
                while (in.read() != -1) {
                    // a keep-alive client may send more; this appservice answers one request per connection
                }
            } catch (IOException reset) {
                // a reset is a close too
            }
            c.closedByHomeserver().countDown();
        } catch (IOException e) {
            // the homeserver went away mid-answer: nothing to record beyond what is recorded
        }
    }

    private static void answer(OutputStream out, byte[] body) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void trickle(OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        try {
            while (true) {
                // The appservice's own pace (what it does, not how the test waits): a byte every 20 ms.
                Thread.sleep(20);
                out.write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException closed) {
            // the homeserver gave up: the close is observed by the caller's read
        }
    }

    /** Reads the request head and a Content-Length body; returns the head. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while (state < 4 && (b = in.read()) != -1) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        long length = text.lines().map(l -> l.toLowerCase(Locale.ROOT))
                .filter(l -> l.startsWith("content-length:"))
                .mapToLong(l -> Long.parseLong(l.substring("content-length:".length()).trim())).findFirst().orElse(0);
        in.readNBytes((int) length);
        return text;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
