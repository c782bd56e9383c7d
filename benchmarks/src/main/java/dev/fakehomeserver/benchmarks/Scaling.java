package dev.fakehomeserver.benchmarks;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Figure 7b/7c: the cost of a send (injection through the append path) and of a push (injection to arrival at the
 * appservice) as the model grows and as registrations are added. The preloaded events are in the same room as the
 * measured ones (the appservice's user joins after the preload, so the history is not pushed): a cost that grows
 * with the room's timeline shows here.
 */
final class Scaling {
    private Scaling() {}

    /** Microseconds per send and per pushed event, for one fake. */
    private record Cost(double sendMicros, double pushMicros) {}

    private static Cost measure(int preload, int registrations, int measured) throws Exception {
        try (Receiver rx = new Receiver()) {
            HomeserverBuilder b = Homeserver.builder().registration(Fakes.registration("bench", rx.url()));
            for (int i = 1; i < registrations; i++) {
                b.registration(Fakes.registration("other" + i, rx.url()));
            }
            try (Homeserver hs = b.start()) {
                Actor alice = hs.user("@alice:test");
                String room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
                for (int i = 0; i < preload; i++) {
                    alice.send(room, "history " + i);
                }
                hs.user(Fakes.AS_USER).join(room);
                for (int i = 0; i < measured; i++) { // warm-up
                    alice.send(room, "warm " + i);
                }
                rx.await(measured);
                long t0 = System.nanoTime();
                for (int i = 0; i < measured; i++) {
                    alice.send(room, "hello " + i);
                }
                long t1 = System.nanoTime();
                rx.await(measured);
                long t2 = rx.lastArrivalNanos();
                return new Cost((t1 - t0) / 1e3 / measured, (t2 - t0) / 1e3 / measured);
            }
        }
    }

    static List<Figure> run(int[] sizes, int[] registrations, int measured) throws Exception {
        List<Figure> out = new ArrayList<>();
        List<Cost> bySize = new ArrayList<>();
        for (int s : sizes) {
            bySize.add(measure(s, 1, measured));
        }
        List<Cost> byRegs = new ArrayList<>();
        for (int r : registrations) {
            byRegs.add(measure(10_000, r, measured));
        }
        out.add(flat("7b. send+push cost vs events in the model", sizes, "events", bySize));
        out.add(flat("7c. send+push cost vs registrations", registrations, "registrations", byRegs));
        return out;
    }

    /** The largest configuration's push cost against the smallest's: flat is within 1.5x. */
    private static Figure flat(String name, int[] xs, String what, List<Cost> costs) {
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            notes.add(String.format("%,d %s: send %.1f us, send+push %.1f us/event", xs[i], what,
                    costs.get(i).sendMicros(), costs.get(i).pushMicros()));
        }
        double small = costs.get(0).pushMicros();
        double large = costs.get(costs.size() - 1).pushMicros();
        double sendRatio = costs.get(costs.size() - 1).sendMicros() / costs.get(0).sendMicros();
        notes.add(String.format("send alone %.2fx", sendRatio));
        return new Figure(name, large, "us/event", small, String.format("at %,d %s", xs[0], what),
                "flat (<= 1.5x)", large / small <= 1.5 && sendRatio <= 1.5, notes);
    }
}
