package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.console.ChangeWaiters;
import dev.fakehomeserver.internal.console.ConsoleHandler;
import dev.fakehomeserver.internal.console.ConsoleSessions;
import io.undertow.server.HttpHandler;

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
        var routes = ControlApiRoutes.builder(hs);
        new ConsoleControl(hs, sessions, changes).register(routes);
        String boundHost = java.net.URI.create(hs.url()).getHost();
        return new ConsoleHandler(new ControlApiHandler(routes.build(), boundHost, tokenOrNull, sessions::accepts));
    }
}
