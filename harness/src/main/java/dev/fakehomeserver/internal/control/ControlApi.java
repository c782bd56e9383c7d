package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.console.ChangeWaiters;
import dev.fakehomeserver.internal.console.ConsoleHandler;
import dev.fakehomeserver.internal.console.ConsoleSessions;
import dev.fakehomeserver.internal.http.RouteTable;
import io.undertow.server.HttpHandler;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The control API as a face of the {@link Homeserver} facade: the facade mounts {@link #handler} on its engine
 * under {@code /_fakehs/}, and every route calls the facade back. The engine never sees this package.
 *
 * <pre>{@code
 * Homeserver hs = Homeserver.builder().controlApi("s3cret").start();   // mounts handler(hs, "s3cret", ..)
 * }</pre>
 */
public final class ControlApi {
    private ControlApi() {}

    /**
     * The handler of every control route over {@code hs} (a null token turns the token check off), with the web
     * console in front ({@code /_fakehs/console/}, docs/console.md): its pages, its logins (whose sessions pass
     * as the token) and its long poll on the change signal.
     */
    public static HttpHandler handler(Homeserver hs, String tokenOrNull, ConsoleSessions sessions,
                                      ChangeWaiters changes) {
        String boundHost = java.net.URI.create(hs.url()).getHost();
        return new ConsoleHandler(new ControlApiHandler(routes(hs, sessions, changes), boundHost, tokenOrNull,
                sessions::accepts));
    }

    /**
     * The whole control route table: every family's rows, the console's, and the index and OpenAPI document
     * that describe this very table ({@link ControlApiIndex}), so what {@code GET /_fakehs/v1/} lists is what
     * the router matches.
     */
    static RouteTable routes(Homeserver hs, ConsoleSessions sessions, ChangeWaiters changes) {
        var builder = ControlApiRoutes.builder(hs);
        new ConsoleControl(hs, sessions, changes).register(builder);
        AtomicReference<RouteTable> table = new AtomicReference<>();
        new ControlApiIndex(table::get).register(builder);
        table.set(builder.build());
        return table.get();
    }
}
