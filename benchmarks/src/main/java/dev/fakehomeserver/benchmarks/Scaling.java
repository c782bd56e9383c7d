package dev.fakehomeserver.benchmarks;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.HomeserverBuilder;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Figure 7b/7c: the cost of a send (injection through the append path) and of a push (injection to arrival at the
 * appservice) as the model grows and as registrations are added. The preloaded events are in the same room as the
 * measured ones (the appservice's user joins after the preload, so the history is not pushed): a cost that grows
 * with the room's timeline shows here. The model sizes are measured first, then (their fakes closed) the
 * registrations; within each, the configurations take turns chunk by chunk of {@value #CHUNK} events (each round
 * adds its events to every room), after one unmeasured round, and each round's figure is the median of chunks.
 */
final class Scaling {
    /** Events per timed chunk. */
    static final int CHUNK = 1_000;

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

        /**
         * One chunk of {@value #CHUNK} events, each injected, then all awaited: microseconds per send, and per
         * event from the first send to the last arrival.
         */
        double[] chunk() throws InterruptedException {
            long t0 = System.nanoTime();
            for (int i = 0; i < CHUNK; i++) {
                alice.send(room, "hello " + i);
            }
            long t1 = System.nanoTime();
            rx.await(CHUNK);
            return new double[] {(t1 - t0) / 1e3 / CHUNK, (rx.lastArrivalNanos() - t0) / 1e3 / CHUNK};
        }

        @Override
        public void close() {
            hs.close();
            rx.close();
        }
    }

    static List<Figure> run(int rounds, int[] sizes, int[] registrations, int measured) throws Exception {
        List<Figure> out = new ArrayList<>();
        // Two phases, each with its own fakes, closed before the next: the million-event model keeps about 1 GB
        // live, and while it was alive G1's concurrent marking took a core in bursts and swung the registration
        // figures (7e from 0.8x to 4.7x) with nothing to do with registrations.
        out.addAll(phase("7b", "7d", "events in the model", sizes, "events", s -> new Setup(s, 1), rounds,
                measured));
        System.gc();
        out.addAll(phase("7c", "7e", "registrations", registrations, "registrations", r -> new Setup(10_000, r),
                rounds, measured));
        return out;
    }

    /** One phase: a fake per configuration, measured together, then closed before the next phase starts. */
    private static List<Figure> phase(String id, String sendId, String against, int[] xs, String what,
                                      IntFunction<Setup> setup, int rounds, int measured) throws Exception {
        List<Setup> setups = new ArrayList<>();
        try {
            for (int x : xs) {
                setups.add(setup.apply(x));
            }
            return flat(id, sendId, against, xs, what, measure(setups, rounds, measured));
        } finally {
            setups.forEach(Setup::close);
        }
    }

    /**
     * [configuration][round] to {send, push}: in each round the configurations take turns chunk by chunk, so a
     * burst of load or a collection lands on all of them alike; each round's figure is the median of its chunks.
     */
    private static double[][][] measure(List<Setup> setups, int rounds, int measured) throws InterruptedException {
        int chunks = Math.max(1, measured / CHUNK);
        double[][][] cost = new double[setups.size()][rounds][];
        for (int r = Bench.firstRound; r < rounds; r++) {
            double[][] send = new double[setups.size()][chunks];
            double[][] push = new double[setups.size()][chunks];
            for (int c = 0; c < chunks; c++) {
                for (int i = 0; i < setups.size(); i++) {
                    double[] one = setups.get(i).chunk();
                    send[i][c] = one[0];
                    push[i][c] = one[1];
                }
            }
            if (r >= 0) {
                for (int i = 0; i < setups.size(); i++) {
                    cost[i][r] = new double[] {Stats.median(send[i]), Stats.median(push[i])};
                }
            }
        }
        return cost;
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
