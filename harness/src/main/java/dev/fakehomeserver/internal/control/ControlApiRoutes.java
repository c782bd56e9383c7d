package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.internal.http.RouteTable;

/**
 * The control API's one route table, under {@code /_fakehs/v1/}: every family registers its rows here, as the
 * client API's families do in {@code ClientApiRoutes}. The docs (docs/standalone.md) list the same rows.
 *
 * <p>Every family is written over the {@code Homeserver} facade, its {@code Actor}s and view records, never the
 * engine, so the control API maps one to one onto the in-process API and cannot drift from it.
 */
public final class ControlApiRoutes {
    /** The prefix of every route. */
    public static final String V1 = "/_fakehs/v1";

    private ControlApiRoutes() {}

    public static RouteTable build(Homeserver hs) {
        return builder(hs).build();
    }

    /** Every family's rows, for a caller that adds its own (the console's, {@link ControlApi}). */
    static RouteTable.Builder builder(Homeserver hs) {
        RouteTable.Builder r = new RouteTable.Builder();
        new HealthControl(hs).register(r);
        new UserControl(hs).register(r);
        new RoomControl(hs).register(r);
        new MembershipControl(hs).register(r);
        new EphemeralControl(hs).register(r);
        new JournalControl(hs).register(r);
        new PushControl(hs).register(r);
        new FaultControl(hs).register(r);
        new AppserviceControl(hs).register(r);
        new PlatformControl(hs).register(r);
        new SyncControl(hs).register(r);
        new SceneControl(hs).register(r);
        new ViolationControl(hs).register(r);
        new CoverageControl(hs).register(r);
        return r;
    }
}
