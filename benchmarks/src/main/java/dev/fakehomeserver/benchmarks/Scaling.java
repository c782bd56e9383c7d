package dev.fakehomeserver.benchmarks;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Figure 7b/7c: the cost of a send (injection through the append path) and of a push (injection to arrival at the
 * appservice) as the model grows and as registrations are added. The preloaded events are in the same room as the
 * measured ones (the appservice's user joins after the preload, so the history is not pushed): a cost that grows
 * with the room's timeline shows here. All configurations are built first and measured in turn in each round
 * (each round adds its events to every room), after one unmeasured round.
 */
final class Scaling {
    private Scaling() {}

    /** One configuration: a fake, its receiver and its room. */
    private static final class Setup implements AutoCloseable {
        final Receiver rx = new Receiver();
        final Homeserver hs;
        final Actor alice;
        final String room;

        Setup(int preload, int registrations) {
            HomeserverBuilder b = Homeserver.builder().registration(Fakes.registration("bench", rx.url()));
            for (int i = 1; i < registrations; i++) {
                b.registration(Fakes.registration("other" + i, rx.url()));
            }
            hs = b.start();
            alice = hs.user("@alice:test");
            room = alice.createRoom(RoomOptions.create().preset(RoomOptions.PUBLIC_CHAT));
            for (int i = 0; i < preload; i++) {
                alice.send(room, "history " + i);
            }
            hs.user(Fakes.AS_USER).join(room);
        }

        /** Microseconds per send, and per event from the first send to the last arrival. */
        double[] measure(int events) throws InterruptedException {
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++) {
                alice.send(room, "hello " + i);
            }
            long t1 = System.nanoTime();
            rx.await(events);
            return new double[] {(t1 - t0) / 1e3 / events, (rx.lastArrivalNanos() - t0) / 1e3 / events};
        }

        @Override
        public void close() {
            hs.close();
            rx.close();
        }
    }

    static List<Figure> run(int rounds, int[] sizes, int[] registrations, int measured) throws Exception {
        List<Setup> setups = new ArrayList<>();
        try {
            for (int s : sizes) {
                setups.add(new Setup(s, 1));
            }
            for (int r : registrations) {
                setups.add(new Setup(10_000, r));
            }
            // [configuration][round] -> {send, push}
            double[][][] cost = new double[setups.size()][rounds][];
            for (int r = Bench.firstRound; r < rounds; r++) {
                for (int i = 0; i < setups.size(); i++) {
                    double[] c = setups.get(i).measure(measured);
                    if (r >= 0) {
                        cost[i][r] = c;
                    }
                }
            }
            int n = sizes.length;
            List<Figure> out = new ArrayList<>();
            out.addAll(flat("7b", "7d", "events in the model", sizes, "events", slice(cost, 0, n)));
            out.addAll(flat("7c", "7e", "registrations", registrations, "registrations",
                    slice(cost, n, setups.size())));
            return out;
        } finally {
            setups.forEach(Setup::close);
        }
    }

    private static double[][][] slice(double[][][] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    /** The largest configuration against the smallest, per round, for send+push and for the send alone. */
    private static List<Figure> flat(String id, String sendId, String against, int[] xs, String what, double[][][] cost) {
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            notes.add(String.format("%,d %s: send %.1f us, send+push %.1f us/event", xs[i], what,
                    Stats.median(column(cost[i], 0)), Stats.median(column(cost[i], 1))));
        }
        int last = xs.length - 1;
        String ceiling = String.format("at %,d %s", xs[0], what);
        Figure.Target flat = Figure.Target.ratioAtMost(1.5, "flat (<= 1.5x)");
        return List.of(
                new Figure(id + ". send+push cost vs " + against, "us/event", column(cost[last], 1),
                        column(cost[0], 1), ceiling, flat, notes),
                new Figure(sendId + ". send cost alone vs " + against, "us/event", column(cost[last], 0),
                        column(cost[0], 0), ceiling, flat, List.of()));
    }

    private static double[] column(double[][] rows, int k) {
        double[] c = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i][k];
        }
        return c;
    }
}
