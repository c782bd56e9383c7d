package dev.fakehomeserver;

import dev.fakehomeserver.internal.model.Event;
import dev.fakehomeserver.internal.model.HomeserverModel;
import dev.fakehomeserver.internal.model.Room;
import java.util.List;

/** Lets tests read the model behind a {@link Homeserver} (the facade exposes it only inside this package). */
public final class TestAccess {
    private TestAccess() {}

    public static HomeserverModel model(Homeserver hs) {
        return hs.engine().model();
    }

    /** Shortens the request-head and idle timeouts (10 s and 15 s), so a test sees them act without waiting. */
    public static HomeserverBuilder connectionTimeouts(HomeserverBuilder b, java.time.Duration head,
                                                       java.time.Duration idle) {
        b.connectionLimits = new dev.fakehomeserver.internal.engine.ConnectionLimits(head, idle);
        return b;
    }

    /** Replaces the calls out to appservices (alias queries) with a test double. */
    public static void appserviceCalls(Homeserver hs, dev.fakehomeserver.internal.model.AppserviceCalls calls) {
        hs.engine().services().appserviceCalls().set(calls);
    }

    /** The waits parked on {@code hs.waitUntilAsync} (the control API's {@code ?wait_ms=} requests among them). */
    public static int pendingWaits(Homeserver hs) {
        return hs.pendingWaits();
    }

    /** A copy of a room's timeline, oldest first. */
    public static List<Event> timeline(Homeserver hs, String roomId) {
        HomeserverModel m = model(hs);
        return m.read(() -> {
            Room room = m.room(roomId);
            return room == null ? List.<Event>of() : List.copyOf(room.timeline());
        });
    }

    /** The events of one type in a room's timeline. */
    public static List<Event> timeline(Homeserver hs, String roomId, String type) {
        return timeline(hs, roomId).stream().filter(e -> e.type().equals(type)).toList();
    }
}
