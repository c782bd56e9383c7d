package dev.fakehomeserver;

import dev.fakehomeserver.internal.engine.Engine;

/** Test-only bridge to the engine behind the facade, for tests in other packages that inject through services. */
public final class CoreAccess {
    private CoreAccess() {}

    public static Engine core(Homeserver hs) {
        return hs.engine();
    }
}
