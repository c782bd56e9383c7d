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

    /** Each round a fresh fake: retained heap before and after {@code events} messages, per event. */
    static Figure heapPerEvent(int rounds, int events) {
        double[] perEvent = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            perEvent[r] = heapPerEventOnce(events);
        }
        return Figure.absolute("7a. retained heap per stored event", "B", perEvent,
                Figure.Target.atMost(1024, "<= 1 KiB"), List.of(events + " text messages of ~20 characters"));
    }

    private static double heapPerEventOnce(int events) {
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
            // Keep hs reachable until after the measurement.
            if (hs.rooms().isEmpty()) {
                throw new IllegalStateException();
            }
            return (after - before) / (double) events;
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

    /** Each round: {@code servers} fakes (one registration each) started, each served one request, then counted. */
    static List<Figure> serversPerJvm(int rounds, int servers) {
        Registration reg = Fakes.registration("bench", "http://127.0.0.1:9");
        // Warm the shared, lazily started parts (class loading, the push pool's statics) so they are not counted.
        try (Homeserver warm = Homeserver.builder().registration(reg).start()) {
            Http.expectOk(warm.port(), Http.VERSIONS);
        }
        double[] threadsEach = new double[rounds];
        double[] undertowEach = new double[rounds];
        double[] mibEach = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] t = idleServers(reg, servers);
            threadsEach[r] = t[0];
            mibEach[r] = t[1];
            undertowEach[r] = undertowThreadsEach(Math.min(servers, 50));
        }
        List<String> n = List.of(servers + " idle fakes in one JVM");
        return List.of(
                new Figure("8a. threads per idle server", "threads", threadsEach, undertowEach,
                        "bare Undertow (defaults)", Figure.Target.atMost(4, "<= 4"), n),
                Figure.absolute("8b. retained heap per idle server", "MiB", mibEach,
                        Figure.Target.atMost(2, "<= 2 MiB"), n));
    }

    /** Threads and MiB of retained heap each of {@code servers} idle fakes adds. */
    private static double[] idleServers(Registration reg, int servers) {
        var threads = ManagementFactory.getThreadMXBean();
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
            return new double[] {(threads1 - threads0) / (double) servers,
                    (heap1 - heap0) / (double) servers / (1024 * 1024)};
        } finally {
            running.forEach(Homeserver::close);
        }
    }
}
