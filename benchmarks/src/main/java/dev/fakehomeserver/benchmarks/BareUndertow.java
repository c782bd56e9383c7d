package dev.fakehomeserver.benchmarks;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;

/**
 * The Undertow ceiling: a server with Undertow's defaults (IO threads = cores, a worker pool of 8 per core) and one
 * handler on the IO thread. Also a child main for the cold start: {@code java -cp ... BareUndertow PORT}.
 */
public final class BareUndertow {
    static final String VERSIONS_JSON = "{\"versions\":[\"v1.11\"]}";
    /** Undertow logs every start and stop at INFO; the figures start thousands (held so the setting sticks). */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream
            .of("io.undertow", "org.xnio", "org.jboss.threads")
            .map(java.util.logging.Logger::getLogger)
            .peek(l -> l.setLevel(java.util.logging.Level.WARNING))
            .toList();

    private BareUndertow() {}

    public static void main(String[] args) {
        start(Integer.parseInt(args[0]), versions());
    }

    /** Answers every request with the {@code /versions} JSON. */
    static HttpHandler versions() {
        return ex -> {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            ex.getResponseSender().send(VERSIONS_JSON);
        };
    }

    static Undertow start(int port, HttpHandler handler) {
        Undertow u = Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(handler).build();
        u.start();
        return u;
    }

    static int port(Undertow u) {
        return ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
    }
}
