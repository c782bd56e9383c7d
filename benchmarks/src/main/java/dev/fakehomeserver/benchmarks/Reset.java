package dev.fakehomeserver.benchmarks;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import java.util.List;

/**
 * Figure 3: {@code reset()} of a fake holding 10,000 events, injected again before every shot; each round is the
 * median of its shots, after one unmeasured round.
 */
final class Reset {
    static final int EVENTS = 10_000;

    private Reset() {}

    static Figure run(int rounds, int shots) {
        double[] median = new double[rounds];
        double max = 0;
        try (Homeserver hs = Homeserver.builder().registration(Fakes.registration("bench", "http://127.0.0.1:9"))
                .start()) {
            for (int r = Bench.firstRound; r < rounds; r++) {
                double[] ms = new double[shots];
                for (int s = 0; s < shots; s++) {
                    Actor alice = hs.user("@alice:test");
                    String room = alice.createRoom();
                    for (int i = 0; i < EVENTS; i++) {
                        alice.send(room, "message " + i);
                    }
                    long t0 = System.nanoTime();
                    hs.reset();
                    ms[s] = (System.nanoTime() - t0) / 1e6;
                }
                if (r >= 0) {
                    median[r] = Stats.median(ms);
                    max = Math.max(max, Stats.max(ms));
                }
            }
        }
        return Figure.absolute("3. reset with 10,000 events", "ms", median, Figure.Target.atMost(1, "<= 1 ms"),
                List.of(String.format("each round the median of %d shots; slowest shot %.3f ms", shots, max)));
    }
}
