package dev.fakehomeserver.internal.engine;

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
 * <p>Threads: one Undertow IO thread does all request work (handlers never block: the model is in memory and
 * calls out to the appservice are asynchronous), the worker pool is sized minimally and is never dispatched
 * to. That keeps an idle server at a couple of threads, so a parallel suite can run hundreds.
 */
final class HttpServer {
    /** The prefix of every path an {@link #mount(HttpHandler) extra handler} answers. */
    static final String EXTRA_PREFIX = "/_fakehs/";
    /** Room above the largest media upload for the biggest JSON body: bodies are bounded by the upload limit. */
    private static final long BODY_SLACK_BYTES = 1024 * 1024;
    /** Request line plus headers; a long filter in the query string fits, a runaway header does not. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 100;
    /** Undertow and XNIO log at INFO on every start and stop; a suite starts hundreds of servers. */
    private static final List<Logger> QUIET = Stream.of("io.undertow", "org.xnio", "org.jboss.threads")
            .map(Logger::getLogger)
            .peek(l -> l.setLevel(Level.WARNING))
            .toList();

    private final Undertow undertow;
    private final HttpHandler clientApi;
    private final String host;
    private final int port;
    /** The handler under {@link #EXTRA_PREFIX}, or null while none is mounted (the embedded default). */
    private volatile HttpHandler extra;
    /** Receives one line per answered request ({@code --verbose}), or null. */
    private volatile Consumer<String> requestLog;

    HttpServer(String bindHost, int requestedPort, long maxUploadBytes, HttpHandler clientApi) {
        this.clientApi = clientApi;
        this.undertow = Undertow.builder()
                .addHttpListener(requestedPort, bindHost)
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setWorkerOption(org.xnio.Options.THREAD_DAEMON, true)
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // Larger bodies get 413 M_TOO_LARGE (ClientApiHandler); larger headers a bare 400 from Undertow.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, maxUploadBytes + BODY_SLACK_BYTES)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                .setServerOption(UndertowOptions.MAX_HEADERS, MAX_HEADERS)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setHandler(this::dispatch)
                .build();
        undertow.start();
        InetSocketAddress addr = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        this.host = bindHost;
        this.port = addr.getPort();
    }

    private void dispatch(HttpServerExchange ex) throws Exception {
        Consumer<String> log = requestLog;
        if (log != null) {
            // The path only: tokens travel in the query string and must not reach a log.
            ex.addExchangeCompleteListener((e, next) -> {
                log.accept(e.getRequestMethod() + " " + e.getRequestURI() + " -> " + e.getStatusCode());
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

    void stop() {
        undertow.stop();
    }
}
