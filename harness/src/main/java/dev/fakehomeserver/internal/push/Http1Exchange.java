package dev.fakehomeserver.internal.push;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 exchange with an appservice on a connection of its own, closed when the exchange ends however it
 * ends (issue 17, item 9).
 *
 * <p>Why not the JDK's {@code HttpClient}: when an answer's status line is garbage or its headers pass the
 * client's limit, its header parser fails the exchange but nothing closes the connection: measured on JDK 17.0.21
 * and 25, ten garbage answers leave ten sockets open in the fake's process for good, and JDK 17 has no way to
 * close a client. Here the socket belongs to the exchange: whether the stage completes with an answer, with a
 * failure or by being cancelled at the push deadline, the socket is closed, which also ends a read or a connect
 * blocked on it.
 *
 * <p>The exchange runs on a thread of the push pool, blocking on its socket (one thread per exchange in flight:
 * a pusher has one transaction in flight, queries and pings are few). {@code Connection: close}, no pooling: a
 * loopback connect costs microseconds. Bounds: the deadline ({@link PushDeadline}, and the same as a socket
 * timeout in case a read outlives it), {@value #MAX_HEAD_BYTES} bytes of response head, {@value #MAX_INTERIM}
 * interim (1xx) answers, chunk lines of {@value #MAX_LINE} bytes; the body by {@link AnswerBody}.
 */
final class Http1Exchange {
    /** The JDK client allows 384 KiB of headers; an appservice needs a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    static final int MAX_INTERIM = 8;
    static final int MAX_LINE = 4096;

    /** What the appservice answered: its status and its body, as {@link AnswerBody} read it. */
    record Answer(int status, AnswerBody.Read body) {}

    private Http1Exchange() {}

    /**
     * Starts the exchange on {@code pool}; when the stage completes, by any means (cancelling it included), the
     * connection is closed.
     *
     * @param headers request headers, in order (Host, Content-Length and Connection are added); a value with a
     *     CR, LF or NUL is refused, as the JDK client refuses it
     * @param body the request body, or null for none
     */
    static CompletableFuture<Answer> send(Executor pool, String method, URI uri, Map<String, String> headers,
                                          byte[] body, Duration deadline) {
        Target target = Target.of(uri);
        byte[] head = head(method, uri, headers, body);
        CompletableFuture<Answer> result = new CompletableFuture<>();
        Socket plain = new Socket();
        result.whenComplete((a, err) -> closeQuietly(plain));
        pool.execute(() -> {
            try {
                int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.toMillis()));
                plain.connect(new InetSocketAddress(target.host, target.port), timeout);
                plain.setTcpNoDelay(true);
                plain.setSoTimeout(timeout);
                Socket s = target.tls ? tls(plain, target) : plain;
                OutputStream out = s.getOutputStream();
                out.write(head);
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                result.complete(read(new BufferedInputStream(s.getInputStream()), method));
            } catch (java.net.SocketTimeoutException e) {
                // The backstop of the deadline (which closes the socket first, as a rule): the same failure.
                result.completeExceptionally(new java.net.http.HttpTimeoutException("the exchange took longer than "
                        + deadline));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Where to connect: scheme, host (an IPv6 literal without brackets) and port. */
    private record Target(boolean tls, String host, int port) {
        static Target of(URI uri) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("invalid URI scheme " + uri.getScheme());
            }
            String h = uri.getHost();
            if (h == null) {
                throw new IllegalArgumentException("unsupported URI " + uri);
            }
            boolean tls = scheme.equals("https");
            String host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
            return new Target(tls, host, uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80);
        }
    }

    private static Socket tls(Socket plain, Target target) throws IOException {
        SSLSocket s = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, target.host, target.port, true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, as the JDK client checks
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static byte[] head(String method, URI uri, Map<String, String> headers, byte[] body) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Map<String, String> all = new LinkedHashMap<>();
        // Host and port only: a url's user-info (user:password@) never leaves in a header.
        all.put("Host", uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        all.putAll(headers);
        if (body != null) {
            all.put("Content-Length", Integer.toString(body.length));
        }
        all.put("Connection", "close");
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\n");
        all.forEach((k, v) -> {
            if (v.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("invalid header value for " + k);
            }
            head.append(k).append(": ").append(v).append("\r\n");
        });
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Answer read(InputStream in, String method) throws IOException {
        for (int interim = 0; ; interim++) {
            Head head = Head.read(in);
            if (head.status >= 100 && head.status < 200) {
                if (interim >= MAX_INTERIM) {
                    throw new ProtocolException("more than " + MAX_INTERIM + " interim (1xx) answers");
                }
                continue; // 100 Continue and other interim answers come before the real one
            }
            AnswerBody.Collector body = new AnswerBody.Collector();
            String encoding = head.header("transfer-encoding");
            String length = head.header("content-length");
            if (method.equals("HEAD") || head.status == 204 || head.status == 304) {
                // no body, whatever the headers say
            } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                readChunked(in, body);
            } else if (length != null) {
                readFixed(in, body, contentLength(length));
            } else {
                copy(in, body, Long.MAX_VALUE); // no length: the body ends with the connection
            }
            return new Answer(head.status, body.finish());
        }
    }

    /** A response head: its status and its header lines, read within {@link #MAX_HEAD_BYTES}. */
    private record Head(int status, String[] lines) {
        static Head read(InputStream in) throws IOException {
            StringBuilder text = new StringBuilder(512);
            int bytes = 0;
            boolean lineStart = true;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new ProtocolException(bytes == 0 ? "the appservice closed the connection without an answer"
                            : "the connection closed inside the response head");
                }
                if (++bytes > MAX_HEAD_BYTES) {
                    throw new ProtocolException("Header size too big: more than " + MAX_HEAD_BYTES + " bytes");
                }
                if (b == '\r') {
                    continue; // lines end with CRLF or, leniently as the JDK client reads them, a bare LF
                }
                if (b == '\n' && lineStart && text.length() > 0) {
                    break; // the empty line
                }
                text.append((char) b); // ISO-8859-1, as header bytes are read
                lineStart = b == '\n';
            }
            String[] lines = text.toString().split("\n");
            return new Head(status(lines[0]), lines);
        }

        private static int status(String line) throws ProtocolException {
            String[] parts = line.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3
                    || !parts[1].chars().allMatch(c -> c >= '0' && c <= '9') || parts[1].charAt(0) == '0') {
                throw new ProtocolException("Invalid status line: \"" + printable(line) + "\"");
            }
            return Integer.parseInt(parts[1]);
        }

        /** The first value of a header (case-insensitive), or null. */
        String header(String lowerName) {
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(lowerName)) {
                    return lines[i].substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** At most 200 characters of a status line, control characters escaped: it goes into the journal. */
    private static String printable(String line) {
        StringBuilder sb = new StringBuilder();
        for (char c : line.substring(0, Math.min(line.length(), 200)).toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
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
        throw new ProtocolException("Invalid Content-Length: " + printable(value));
    }

    private static void readFixed(InputStream in, AnswerBody.Collector body, long length) throws IOException {
        if (copy(in, body, length) < length) {
            throw new ProtocolException("the connection closed before the " + length + " bytes of body it promised");
        }
    }

    private static void readChunked(InputStream in, AnswerBody.Collector body) throws IOException {
        while (true) {
            String sizeLine = line(in);
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            long size;
            try {
                size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new ProtocolException("Invalid chunk size: \"" + printable(hex) + "\"");
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

    /** One line of a chunked body (CRLF or LF), at most {@link #MAX_LINE} bytes. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new ProtocolException("the connection closed inside a chunked body");
            }
            if (sb.length() >= MAX_LINE) {
                throw new ProtocolException("a chunk line is longer than " + MAX_LINE + " bytes");
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
