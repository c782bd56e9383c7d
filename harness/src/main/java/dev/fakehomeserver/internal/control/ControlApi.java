package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import io.undertow.server.HttpHandler;

/**
 * The control API as a face of the {@link Homeserver} facade: the facade mounts {@link #handler} on its engine
 * under {@code /_fakehs/}, and every route calls the facade back. The engine never sees this package.
 *
 * <pre>{@code
 * Homeserver hs = Homeserver.builder().controlApi("s3cret").start();   // mounts handler(hs, "s3cret")
 * }</pre>
 */
public final class ControlApi {
    private ControlApi() {}

    /** The handler of every control route over {@code hs}; a null token turns the token check off. */
    public static HttpHandler handler(Homeserver hs, String tokenOrNull) {
        return new ControlApiHandler(ControlApiRoutes.build(hs), tokenOrNull);
    }
}
