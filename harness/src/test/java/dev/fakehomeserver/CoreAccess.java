package dev.fakehomeserver;

import dev.fakehomeserver.internal.HomeserverCore;

/** Test-only bridge to the engine behind the facade, for tests in other packages that inject through services. */
public final class CoreAccess {
    private CoreAccess() {}

    public static HomeserverCore core(Homeserver hs) {
        return hs.core();
    }
}
