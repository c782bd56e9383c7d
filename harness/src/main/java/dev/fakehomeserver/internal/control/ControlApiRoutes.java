package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.HomeserverCore;
import dev.fakehomeserver.internal.http.RouteTable;

/**
 * The control API's one route table, under {@code /_fakehs/v1/}: every family registers its rows here, as the
 * client API's families do in {@code ClientApiRoutes}. The docs (docs/standalone.md) list the same rows.
 *
 * <p>Where the {@code Homeserver} facade has an operation (reset, typing, receipts, presence, faults, the
 * transactions journal, appservice status and retry), the family calls it rather than the engine, so the
 * control API maps one to one onto the facade and cannot drift from it.
 */
public final class ControlApiRoutes {
    /** The prefix of every route. */
    public static final String V1 = "/_fakehs/v1";

    private ControlApiRoutes() {}

    public static RouteTable build(HomeserverCore core, Homeserver hs) {
        RouteTable.Builder r = new RouteTable.Builder();
        new HealthControl(core).register(r);
        new UserControl(core).register(r);
        new RoomControl(core).register(r);
        new EphemeralControl(hs).register(r);
        new JournalControl(core, hs).register(r);
        new PushControl(hs).register(r);
        new FaultControl(hs).register(r);
        new AppserviceControl(core, hs).register(r);
        new ConsoleControl(core).register(r);
        return r.build();
    }
}
