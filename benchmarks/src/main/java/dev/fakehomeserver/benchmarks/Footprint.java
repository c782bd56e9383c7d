package dev.fakehomeserver.benchmarks;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Figures 7a and 8: retained heap per stored event, and threads and heap per idle server. */
final class Footprint {
    private Footprint() {}

    /** Used heap after repeated full collections, in bytes. */
    static long retainedHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long u = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            used = Math.min(used, u);
        }
        return used;
    }

    static Figure heapPerEvent(int events) {
        try (Homeserver hs = Homeserver.builder().registration(Fakes.registration("bench", "http://127.0.0.1:9"))
                .start()) {
            Actor alice = hs.user("@alice:test");
            String room = alice.createRoom();
            alice.send(room, "warm");
            long before = retainedHeap();
            for (int i = 0; i < events; i++) {
                alice.send(room, "hello world " + i);
            }
            long after = retainedHeap();
            double perEvent = (after - before) / (double) events;
            // Keep hs reachable until after the measurement.
            if (hs.rooms().isEmpty()) {
                throw new IllegalStateException();
            }
            return new Figure("7a. retained heap per stored event", perEvent, "B", Double.NaN, "", "<= 1 KiB",
                    perEvent <= 1024, List.of(events + " text messages of ~20 characters"));
        }
    }

    /** Threads each bare Undertow server with the defaults adds once it has answered a request. */
    private static double undertowThreadsEach(int servers) {
        var threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        List<io.undertow.Undertow> running = new ArrayList<>();
        try {
            for (int i = 0; i < servers; i++) {
                io.undertow.Undertow u = BareUndertow.start(0, BareUndertow.versions());
                running.add(u);
                Http.expectOk(BareUndertow.port(u), Http.VERSIONS);
            }
            return (threads.getThreadCount() - before) / (double) servers;
        } finally {
            running.forEach(io.undertow.Undertow::stop);
        }
    }

    /** 200 fakes (each with one registration) started, each served one request, then counted. */
    static List<Figure> serversPerJvm(int servers) {
        Registration reg = Fakes.registration("bench", "http://127.0.0.1:9");
        var threads = ManagementFactory.getThreadMXBean();
        // Warm the shared, lazily started parts (class loading, the push pool's statics) so they are not counted.
        try (Homeserver warm = Homeserver.builder().registration(reg).start()) {
            Http.expectOk(warm.port(), Http.VERSIONS);
        }
        long heap0 = retainedHeap();
        int threads0 = threads.getThreadCount();
        List<Homeserver> running = new ArrayList<>();
        try {
            for (int i = 0; i < servers; i++) {
                Homeserver hs = Homeserver.builder().registration(reg).start();
                running.add(hs);
                Http.expectOk(hs.port(), Http.VERSIONS);
            }
            long heap1 = retainedHeap();
            int threads1 = threads.getThreadCount();
            double threadsEach = (threads1 - threads0) / (double) servers;
            double mibEach = (heap1 - heap0) / (double) servers / (1024 * 1024);
            String n = servers + " idle fakes in one JVM";
            double undertowEach = undertowThreadsEach(Math.min(servers, 50));
            return List.of(
                    new Figure("8a. threads per idle server", threadsEach, "threads", undertowEach,
                            "bare Undertow (defaults)",
                            "<= 4", threadsEach <= 4, List.of(n)),
                    new Figure("8b. retained heap per idle server", mibEach, "MiB", Double.NaN, "", "<= 2 MiB",
                            mibEach <= 2, List.of(n)));
        } finally {
            running.forEach(Homeserver::close);
        }
    }
}
