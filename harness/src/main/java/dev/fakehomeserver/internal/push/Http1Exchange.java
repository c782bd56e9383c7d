package dev.fakehomeserver.internal.push;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 exchange with an appservice on a connection of its own, which is closed when the exchange ends,
 * however it ends (issue 17, item 9).
 *
 * <p>Why not the JDK's {@code HttpClient}: when an answer's status line is garbage or its headers pass the
 * client's limit, the JDK client fails the exchange with a {@code ProtocolException} and leaves the connection
 * open for good (measured on JDK 17 and 25: the appservice's end stays ESTABLISHED; on 17 not even dropping
 * the client and collecting it closes it), and JDK 17 has no way to close a client. Here the socket belongs to
 * the exchange: the stage completes, normally, exceptionally or by being cancelled at the push deadline, and
 * the socket is closed, which also ends a read that is blocked on it.
 *
 * <p>The exchange runs on a thread of the push pool, blocking on its socket (one thread per exchange in flight:
 * a pusher has one transaction in flight, queries and pings are few). {@code Connection: close}: no pooling, a
 * loopback connect costs microseconds. Bounds: the response head (status line and headers) at
 * {@value #MAX_HEAD_BYTES} bytes, the body by {@link AnswerBody}; the deadline by {@link PushDeadline}.
 */
final class Http1Exchange {
    /** The JDK client allows 384 KiB of headers; an appservice needs a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    /** What the appservice answered: its status and its body, as {@link AnswerBody} read it. */
    record Answer(int status, AnswerBody.Read body) {}

    private Http1Exchange() {}

    /**
     * Starts the exchange on {@code pool}; cancelling the stage (the deadline does) closes its connection.
     *
     * @param headers request headers, in order (Host, Content-Length and Connection are added)
     * @param body the request body, or null for none
     */
    static CompletableFuture<Answer> send(Executor pool, String method, URI uri, Map<String, String> headers,
                                          byte[] body) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        Socket plain = new Socket();
        // Closing the TCP socket also ends a TLS socket layered on it, and any read blocked on either.
        result.whenComplete((a, err) -> closeQuietly(plain));
        pool.execute(() -> {
            try {
                Socket s = connect(plain, uri);
                write(s.getOutputStream(), method, uri, headers, body);
                result.complete(read(new BufferedInputStream(s.getInputStream()), method));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static Socket connect(Socket plain, URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("invalid URI scheme " + uri.getScheme());
        }
        String host = host(uri);
        boolean tls = scheme.equals("https");
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        plain.connect(new InetSocketAddress(host, port));
        plain.setTcpNoDelay(true);
        if (!tls) {
            return plain;
        }
        SSLSocket s = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        return s;
    }

    /** The host without the brackets of an IPv6 literal. */
    private static String host(URI uri) {
        String h = uri.getHost();
        if (h == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static void write(OutputStream out, String method, URI uri, Map<String, String> headers, byte[] body)
            throws IOException {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        // Host and port only: a url's user-info (user:password@) never leaves in a header.
        head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(uri.getPort() == -1 ? "" : ":" + uri.getPort())
                .append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    private static Answer read(InputStream in, String method) throws IOException {
        while (true) {
            String head = readHead(in);
            int status = status(head);
            if (status >= 100 && status < 200) {
                continue; // 100 Continue and other interim answers come before the real one
            }
            AnswerBody.Collector body = new AnswerBody.Collector();
            String chunked = header(head, "transfer-encoding");
            String length = header(head, "content-length");
            if (method.equals("HEAD") || status == 204 || status == 304) {
                // no body
            } else if (chunked != null && chunked.toLowerCase(Locale.ROOT).contains("chunked")) {
                readChunked(in, body);
            } else if (length != null) {
                readFixed(in, body, contentLength(length));
            } else {
                copy(in, body, Long.MAX_VALUE);
            }
            return new Answer(status, body.finish());
        }
    }

    /** The status line and headers, up to the blank line, within {@link #MAX_HEAD_BYTES}. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new ProtocolException(head.size() == 0 ? "the appservice closed the connection without an answer"
                        : "the connection closed inside the response head");
            }
            if (head.size() >= MAX_HEAD_BYTES) {
                throw new ProtocolException("Header size too big: more than " + MAX_HEAD_BYTES + " bytes");
            }
            head.write(b);
            state = b == '\r' && (state == 0 || state == 2) ? state + 1
                    : b == '\n' && (state == 1 || state == 3) ? state + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int status(String head) throws ProtocolException {
        String line = head.substring(0, head.indexOf("\r\n"));
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new ProtocolException("Invalid status line: \"" + line + "\"");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolException("Invalid status line: \"" + line + "\"");
        }
    }

    /** The first value of a header (case-insensitive), or null. */
    private static String header(String head, String lowerName) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(lowerName)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static long contentLength(String value) throws ProtocolException {
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProtocolException("Invalid Content-Length: " + value);
    }

    private static void readFixed(InputStream in, AnswerBody.Collector body, long length) throws IOException {
        if (copy(in, body, length) < length) {
            throw new ProtocolException("the connection closed " + length + " bytes into the promised body");
        }
    }

    private static void readChunked(InputStream in, AnswerBody.Collector body) throws IOException {
        while (true) {
            String sizeLine = line(in);
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("Invalid chunk size: \"" + hex + "\"");
            }
            if (size < 0) {
                throw new ProtocolException("Invalid chunk size: \"" + hex + "\"");
            }
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // trailers: read and ignored
                }
                return;
            }
            readFixed(in, body, size);
            if (!line(in).isEmpty()) {
                throw new ProtocolException("a chunk is longer than its size");
            }
        }
    }

    /** One CRLF-terminated line of a chunked body, at most a few KiB. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new ProtocolException("the connection closed inside a chunked body");
            }
            if (sb.length() > 4096) {
                throw new ProtocolException("a chunk line is longer than 4096 bytes");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /** Copies up to {@code max} bytes into the collector; returns how many came before the end. */
    private static long copy(InputStream in, AnswerBody.Collector body, long max) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long copied = 0;
        while (copied < max) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, max - copied));
            if (n < 0) {
                break;
            }
            body.feed(buf, n);
            copied += n;
        }
        return copied;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
