package dev.fakehomeserver.benchmarks;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.events.Actor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Figure 3: {@code reset()} of a fake holding 10,000 events (injected again before every single shot). */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResetBenchmark {
    static final int EVENTS = 10_000;
    private Homeserver hs;

    @Setup(Level.Trial)
    public void start() {
        hs = Homeserver.builder().registration(Fakes.registration("bench", "http://127.0.0.1:9")).start();
    }

    @Setup(Level.Iteration)
    public void fill() {
        Actor alice = hs.user("@alice:test");
        String room = alice.createRoom();
        for (int i = 0; i < EVENTS; i++) {
            alice.send(room, "message " + i);
        }
    }

    @Benchmark
    public void reset() {
        hs.reset();
    }

    @TearDown(Level.Trial)
    public void stop() {
        hs.close();
    }
}
