package dev.fakehomeserver.internal.engine;

import dev.fakehomeserver.internal.base.LogText;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The Undertow listener: the client-server API, and whatever the facade mounts under {@code /_fakehs/} (a path
 * Matrix never uses), so the engine serves the control API without knowing it.
 *
 * <p>Threads: one Undertow IO thread does the request work (handlers never block: the model is in memory and
 * calls out to the appservice are asynchronous); a request with a body above {@code ReadBody.INLINE_BYTES} is
 * handled on one of {@value #WORKER_THREADS} worker threads, which XNIO starts only when first needed, so a
 * large body is parsed without holding up anyone else and an idle server stays at a couple of threads (a
 * parallel suite runs hundreds).
 *
 * <p>Bounds (docs/reliability.md, "Limits"): the request head and headers, the body (per route, read by
 * {@code ReadBody}), and the {@link ConnectionLimits} timeouts. Whatever happens, an answer of 400 or more that
 * has no body yet (an exception Undertow caught, say an {@link OutOfMemoryError} while the fake was answering)
 * is given a Matrix error body; nothing answers a bare 500.
 */
final class HttpServer {
    /** The prefix of every path an {@link #mount(HttpHandler) extra handler} answers. */
    static final String EXTRA_PREFIX = "/_fakehs/";
    /** Room above the largest media upload for the biggest JSON body: bodies are bounded by the upload limit. */
    private static final long BODY_SLACK_BYTES = 1024 * 1024;
    /** Request line plus headers; a long filter in the query string fits, a runaway header does not. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 100;
    /** Worker threads for large bodies: two parse at once, on the machines this runs on (two cores or more). */
    static final int WORKER_THREADS = 2;
    /** Made once: when the heap is full, building the answer must not need memory. */
    private static final byte[] INTERNAL_ERROR = ("{\"errcode\":\"M_UNKNOWN\",\"error\":\"Internal error in "
            + "fake-homeserver (see its log)\"}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Undertow and XNIO log at INFO on every start and stop; a suite starts hundreds of servers. */
    private static final List<Logger> QUIET = Stream.of("io.undertow", "org.xnio", "org.jboss.threads")
            .map(Logger::getLogger)
            .peek(l -> l.setLevel(Level.WARNING))
            .toList();

    private final Undertow undertow;
    private final HttpHandler clientApi;
    private final String host;
    private final int port;
    /** The TLS listener's port, or -1 without one. */
    private final int httpsPort;
    /** The handler under {@link #EXTRA_PREFIX}, or null while none is mounted (the embedded default). */
    private volatile HttpHandler extra;
    /** Receives one line per answered request ({@code --verbose}), or null. */
    private volatile Consumer<String> requestLog;

    /**
     * @param maxBodyBytes the largest body any route reads (each route sets its own lower limit in ReadBody;
     *     this one bounds handlers outside the pipelines too)
     */
    HttpServer(String bindHost, int requestedPort, long maxBodyBytes, ConnectionLimits limits, HttpHandler clientApi,
               EngineConfig.Https https) {
        this.clientApi = clientApi;
        XnioShutdownNoise.install();
        Undertow.Builder builder = Undertow.builder().addHttpListener(requestedPort, bindHost);
        if (https != null) {
            builder.addHttpsListener(https.port(), bindHost, https.context());
        }
        this.undertow = builder
                .setIoThreads(1)
                .setWorkerThreads(WORKER_THREADS)
                .setWorkerOption(org.xnio.Options.THREAD_DAEMON, true)
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // Larger bodies get 413 M_TOO_LARGE (ReadBody); larger headers a bare 400 from Undertow.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, maxBodyBytes + BODY_SLACK_BYTES)
                // A head that never ends, a connection that never sends one, a body that stops: closed.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, limits.headMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, limits.idleMillis())
                .setSocketOption(org.xnio.Options.READ_TIMEOUT, limits.idleMillis())
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                .setServerOption(UndertowOptions.MAX_HEADERS, MAX_HEADERS)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setHandler(this::dispatch)
                .build();
        undertow.start();
        InetSocketAddress addr = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        this.host = bindHost;
        this.port = addr.getPort();
        this.httpsPort = https == null ? -1
                : ((InetSocketAddress) undertow.getListenerInfo().get(1).getAddress()).getPort();
    }

    private void dispatch(HttpServerExchange ex) throws Exception {
        ex.addDefaultResponseListener(HttpServer::matrixBodyForBareError);
        if (StrictChunkedBody.applies(ex)) {
            // Broken chunk framing is answered 400 by the reader, as Synapse does, not closed unanswered.
            StrictChunkedBody.install(ex);
        }
        Consumer<String> log = requestLog;
        if (log != null) {
            // The path only: tokens travel in the query string and must not reach a log. Escaped: a path is
            // what the client sent, and must not forge a line of its own.
            ex.addExchangeCompleteListener((e, next) -> {
                log.accept(LogText.escape(e.getRequestMethod() + " " + e.getRequestURI()) + " -> " + outcome(e));
                next.proceed();
            });
        }
        HttpHandler x = extra;
        if (x != null && ex.getRequestPath().startsWith(EXTRA_PREFIX)) {
            x.handleRequest(ex);
        } else {
            clientApi.handleRequest(ex);
        }
    }

    /** The status answered, or what happened instead: a closed connection is not a 200. */
    private static String outcome(HttpServerExchange e) {
        if (e.isResponseStarted()) {
            return String.valueOf(e.getStatusCode());
        }
        String why = e.getAttachment(dev.fakehomeserver.internal.http.InboundRequest.DROPPED);
        return "closed without an answer" + (why == null ? "" : " (" + why + ")");
    }

    /**
     * Undertow's last word on an exchange that ends without a body: an error status (Undertow's own 500 for an
     * exception that escaped, most likely a second {@code OutOfMemoryError} while the first was being answered)
     * gets a Matrix error, from bytes made in advance. A success without a body stays as it is.
     */
    private static boolean matrixBodyForBareError(HttpServerExchange ex) {
        int status = ex.getStatusCode();
        if (status < 400 || !ex.isResponseChannelAvailable()) {
            return false;
        }
        byte[] body = status >= 500 ? INTERNAL_ERROR : ("{\"errcode\":\"M_UNKNOWN\",\"error\":\"Refused with status "
                + status + "\"}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ex.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
        return true;
    }

    /** Answers every path under {@link #EXTRA_PREFIX} with {@code handler} from now on. */
    void mount(HttpHandler handler) {
        this.extra = handler;
    }

    void requestLog(Consumer<String> sink) {
        this.requestLog = sink;
    }

    int port() {
        return port;
    }

    String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port;
    }

    /** The TLS listener's url, or null without one. */
    String httpsUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return httpsPort < 0 ? null : "https://" + h + ":" + httpsPort;
    }

    void stop() {
        undertow.stop();
    }
}
