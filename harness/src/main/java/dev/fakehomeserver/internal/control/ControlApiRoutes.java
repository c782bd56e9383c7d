package dev.fakehomeserver.internal.control;

import dev.fakehomeserver.internal.HomeserverCore;
import dev.fakehomeserver.internal.http.RouteTable;

/**
 * The control API's one route table, under {@code /_fakehs/v1/}: every family registers its rows here, as the
 * client API's families do in {@code ClientApiRoutes}. The docs (docs/standalone.md) list the same rows.
 *
 * <p>Seams the lead wires after merging the other branches (each becomes a small family class here):
 * <ul>
 *   <li>TODO(ephemeral): {@code POST rooms/{roomId}/typing}, {@code POST rooms/{roomId}/receipts},
 *       {@code PUT users/{userId}/presence} — injection of typing, receipts and presence.</li>
 *   <li>TODO(pusher): {@code GET transactions} — the outbound transactions journal, once the pusher lands.</li>
 *   <li>TODO(faults): {@code POST faults}, {@code DELETE faults} — fault injection through the client API's
 *       {@code FaultHook}.</li>
 * </ul>
 */
public final class ControlApiRoutes {
    /** The prefix of every route. */
    public static final String V1 = "/_fakehs/v1";

    private ControlApiRoutes() {}

    public static RouteTable build(HomeserverCore core) {
        RouteTable.Builder r = new RouteTable.Builder();
        new HealthControl(core).register(r);
        new UserControl(core).register(r);
        new RoomControl(core).register(r);
        new JournalControl(core).register(r);
        new AppserviceControl(core).register(r);
        return r.build();
    }
}
