package dev.fakehomeserver.internal.console;

import dev.fakehomeserver.internal.base.MatrixException;
import dev.fakehomeserver.internal.base.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in front of the control API: serves the console's static pages under {@code /_fakehs/console/} and
 * hands everything else to the control API's handler, whose first step guards both against other sites' pages
 * (the console's logins and long poll are control routes: one guard, {@code ControlRequestGuard}). Mounted only
 * where the control API is, so the console exists exactly where its data does.
 *
 * <p>The pages hold no data and no secret: everything they show they fetch from the control API with the
 * credential kept in the tab's session storage, so serving them without a token reveals nothing. They are a
 * fixed list of files read once from the jar (no path from the request ever reaches the class loader), sent with
 * a Content-Security-Policy that allows only this origin's scripts and styles, and never cached.
 */
public final class ConsoleHandler implements HttpHandler {
    /** Where the pages are served. */
    public static final String PREFIX = "/_fakehs/console/";
    private static final String RESOURCES = "/dev/fakehomeserver/console/";
    private static final List<String> FILES = List.of("index.html", "appservices.html", "transactions.html",
            "journal.html", "send.html", "console.css", "console.js", "rooms.js", "appservices.js",
            "transactions.js", "journal.js", "send.js", "favicon.svg");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final HttpString CSP_HEADER = new HttpString("Content-Security-Policy");

    private final HttpHandler controlApi;

    public ConsoleHandler(HttpHandler controlApi) {
        this.controlApi = controlApi;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        String path = ex.getRequestPath();
        if (path.equals("/_fakehs/console") || path.startsWith(PREFIX)) {
            serve(ex, path);
            return;
        }
        controlApi.handleRequest(ex);
    }

    private static void serve(HttpServerExchange ex, String path) {
        if (!ex.getRequestMethod().toString().equals("GET")) {
            refuse(ex, MatrixException.methodNotAllowed());
            return;
        }
        if (path.equals("/_fakehs/console")) {
            ex.setStatusCode(302);
            ex.getResponseHeaders().put(Headers.LOCATION, PREFIX);
            ex.endExchange();
            return;
        }
        String name = path.substring(PREFIX.length());
        byte[] body = Files.ALL.get(name.isEmpty() ? "index.html" : name);
        if (body == null) {
            refuse(ex, MatrixException.notFound("No console page " + path));
            return;
        }
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType(name.isEmpty() ? "index.html" : name));
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseHeaders().put(CSP_HEADER, CSP);
        ex.getResponseHeaders().put(new HttpString("X-Content-Type-Options"), "nosniff");
        ex.getResponseHeaders().put(new HttpString("Referrer-Policy"), "no-referrer");
        ex.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** A Matrix error, as the control API answers them; these requests never reach its pipeline. */
    private static void refuse(HttpServerExchange ex, MatrixException e) {
        ex.setStatusCode(e.status());
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(ByteBuffer.wrap(Json.bytes(e.body())));
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    }

    /** Read on the first console request, not at start: a suite starting hundreds of fakes never pays for it. */
    private static final class Files {
        static final Map<String, byte[]> ALL = load();

        private static Map<String, byte[]> load() {
            Map<String, byte[]> out = new HashMap<>();
            for (String f : FILES) {
                try (InputStream in = ConsoleHandler.class.getResourceAsStream(RESOURCES + f)) {
                    if (in == null) {
                        throw new IllegalStateException("The jar lacks the console file " + RESOURCES + f);
                    }
                    out.put(f, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Map.copyOf(out);
        }
    }
}
